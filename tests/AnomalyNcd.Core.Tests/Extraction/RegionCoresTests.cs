using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Extraction;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Tests.Extraction;

/// <summary>Region cores on hand-made maps: each region keeps what lies near its own peak.</summary>
public class RegionCoresTests
{
    [Fact]
    public void Keep_EachRegionShrinksToItsOwnPeak_AFaintRegionIsNotDroppedForAStrongOne()
    {
        // Two regions of one mask: a strong cone peaking at 100 on the left, a faint one peaking at 40 on the right.
        const int width = 40, height = 20;
        var map = new GrayImage(width, height);
        var mask = new GrayImage(width, height);
        Cone(map, mask, 10, 10, 100);
        Cone(map, mask, 30, 10, 40);

        var core = RegionCores.Keep(mask, map, 0.5);

        // Each region keeps the pixels at ≥ half of its own peak: 50 on the left, 20 on the right.
        Assert.Equal(255, core[10, 10]);
        Assert.Equal(255, core[30, 10]);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var peak = x < 20 ? 100 : 40;
                Assert.Equal(mask[x, y] != 0 && map[x, y] >= 0.5 * peak ? 255 : 0, core[x, y]);
            }
        }

        Assert.True(core.CountNonZero() < mask.CountNonZero());
    }

    [Fact]
    public void Keep_FractionZero_KeepsTheMask_AndTheOptionIsRefusedOutsideItsRange()
    {
        var map = new GrayImage(8, 8);
        var mask = new GrayImage(8, 8);
        Cone(map, mask, 4, 4, 90);

        Assert.Equal(mask.Pixels, RegionCores.Keep(mask, map, 0).Pixels);
        var error = Assert.Throws<InvalidInputException>(() => RegionExtractionOptions.ValidateCoreFraction(1.5));
        Assert.Contains("--region-core", error.Message, StringComparison.Ordinal);
        RegionExtractionOptions.ValidateCoreFraction(null);
        RegionExtractionOptions.ValidateCoreFraction(1);
    }

    /// <summary>A cone of the given peak falling by 12 per pixel of distance; the mask covers all of it above 0.</summary>
    private static void Cone(GrayImage map, GrayImage mask, int cx, int cy, int peak)
    {
        for (var y = 0; y < map.Height; y++)
        {
            for (var x = 0; x < map.Width; x++)
            {
                var value = peak - (12 * Math.Max(Math.Abs(x - cx), Math.Abs(y - cy)));
                if (value > 0)
                {
                    map.Pixels[(y * map.Width) + x] = (byte)value;
                    mask.Pixels[(y * map.Width) + x] = 255;
                }
            }
        }
    }
}
