using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Cropping;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Tests.Cropping;

public class CropScorerTests
{
    [Fact]
    public void Score_SameSize_IsPeakOfNormalisedMapInsideBox()
    {
        var map = new GrayImage(3, 1, [40, 200, 90]);
        var scorer = new CropScorer(map, new MebinRange(50, 250), 3, 1);

        Assert.Equal((float)((90 - 50) / 200.0 * 255.0), scorer.Score(new PixelBox(2, 0, 3, 1)));
        Assert.Equal(0f, scorer.Score(new PixelBox(0, 0, 1, 1))); // below MinTh → 0
        Assert.Equal((float)(150 / 200.0 * 255.0), scorer.Score(new PixelBox(0, 0, 3, 1)));
    }

    [Fact]
    public void Score_SmallerMap_UsesBicubicUpscaleWithOvershoot()
    {
        var map = new GrayImage(2, 1, [0, 255]);
        var scorer = new CropScorer(map, new MebinRange(0, 255), 4, 1);

        // Bicubic overshoot at the right edge: 255 · K(0.25) / (K(0.25) + K(1.25)) > 255.
        Assert.Equal((float)(255 * 0.8671875 / 0.796875), scorer.Score(new PixelBox(3, 0, 4, 1)));
    }

    [Fact]
    public void Score_BoxLeavingImage_CountsZeroPadding()
    {
        // The upscaled left pixel undershoots below zero; the padded part of the box contributes 0.
        var map = new GrayImage(2, 1, [0, 255]);
        var scorer = new CropScorer(map, new MebinRange(0, 255), 4, 1);

        Assert.True(scorer.Score(new PixelBox(0, 0, 1, 1)) < 0f);
        Assert.Equal(0f, scorer.Score(new PixelBox(-1, 0, 1, 1)));
    }

    [Fact]
    public void Score_SameSizeRealMaps_EqualsPeakOfNormalisedPixels()
    {
        // The same-size path takes the peak raw value; the definition is the peak over every normalised pixel.
        var random = new Random(5);
        var files = Directory.EnumerateFiles(TestData.RequireFile("golden", "mebin", "maps"), "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(6);
        foreach (var file in files)
        {
            var map = ImageFiles.ReadGray(file);
            foreach (var range in new[] { new MebinRange(0, 255), new MebinRange(37, 180), new MebinRange(map.Max(), 255) })
            {
                if (range.IsDegenerate)
                {
                    continue;
                }

                var scorer = new CropScorer(map, range, map.Width, map.Height);
                for (var k = 0; k < 40; k++)
                {
                    var left = random.Next(-map.Width / 2, map.Width);
                    var up = random.Next(-map.Height / 2, map.Height);
                    var box = new PixelBox(left, up, left + random.Next(1, map.Width), up + random.Next(1, map.Height));
                    Assert.Equal(DefinitionScore(map, range, box), scorer.Score(box));
                }
            }
        }
    }

    /// <summary>Method-spec §6.6 literally: every pixel normalised to float32, zero outside the image, maximum over the box.</summary>
    private static float DefinitionScore(GrayImage map, MebinRange range, PixelBox box)
    {
        var peak = float.NegativeInfinity;
        for (var y = box.Up; y < box.Bottom; y++)
        {
            for (var x = box.Left; x < box.Right; x++)
            {
                var inside = x >= 0 && y >= 0 && x < map.Width && y < map.Height;
                peak = Math.Max(peak, inside ? (float)range.Normalize(map[x, y]) : 0f);
            }
        }

        return peak;
    }
}
