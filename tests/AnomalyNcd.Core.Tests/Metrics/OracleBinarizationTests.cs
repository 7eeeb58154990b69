using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Maps;
using AnomalyNcd.Core.Metrics;

namespace AnomalyNcd.Core.Tests.Metrics;

public class OracleBinarizationTests
{
    [Fact]
    public void Best_PicksTheThresholdThatMatchesTheMask()
    {
        // A ramp with a plateau: only a threshold between the ramp and the plateau reproduces the mask.
        var map = new FloatMap(20, 10);
        var truth = new GrayImage(20, 10);
        for (var y = 0; y < 10; y++)
        {
            for (var x = 0; x < 20; x++)
            {
                var inside = x is >= 12 and < 18 && y is >= 2 and < 8;
                map[x, y] = inside ? 10f : x * 0.3f;
                truth[x, y] = inside ? (byte)255 : (byte)0;
            }
        }

        var (mask, iou) = OracleBinarization.Best(map, truth);

        Assert.Equal(1.0, iou, 6);
        Assert.Equal(truth.Pixels, mask.Pixels);
    }

    [Fact]
    public void Best_EmptyMask_GivesNoForeground()
    {
        var map = new FloatMap(8, 8, [.. Enumerable.Range(0, 64).Select(i => (float)i)]);

        var (mask, _) = OracleBinarization.Best(map, new GrayImage(8, 8));

        Assert.All(mask.Pixels, p => Assert.Equal(0, p));
    }
}
