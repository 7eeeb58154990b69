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
}
