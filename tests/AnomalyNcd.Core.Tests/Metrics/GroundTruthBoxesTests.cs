using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Metrics;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Metrics;

public class GroundTruthBoxesTests
{
    [Fact]
    public void FromMask_ComponentsWithDiagonalContactAndSoftEdge_EightConnectedBoxes()
    {
        var mask = new GrayImage(20, 20);
        for (var y = 2; y <= 4; y++)
        {
            for (var x = 3; x <= 6; x++)
            {
                mask[x, y] = 255;
            }
        }

        mask[10, 10] = 255;
        mask[11, 11] = 255; // touches (10,10) only diagonally: same component under 8-connectivity
        mask[18, 1] = 200;
        mask[15, 15] = 100; // soft edge below the 127 threshold: background

        var boxes = GroundTruthBoxes.FromMask(mask);

        Assert.Equal([new Rect(18, 1, 1, 1), new Rect(3, 2, 4, 3), new Rect(10, 10, 2, 2)], boxes);
    }

    [Fact]
    public void FromMask_EmptyMask_NoBoxes()
    {
        Assert.Empty(GroundTruthBoxes.FromMask(new GrayImage(8, 8)));
    }

    [Fact]
    public void FromMask_LowerThreshold_IncludesSoftPixels()
    {
        var mask = new GrayImage(8, 8);
        mask[5, 6] = 100;

        Assert.Equal([new Rect(5, 6, 1, 1)], GroundTruthBoxes.FromMask(mask, threshold: 0));
    }
}
