using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Cropping;
using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Cropping;

public class SubImageCropperTests
{
    [Fact]
    public void Run_ThreeRegions_GivesCropsMasksAreasAndScores()
    {
        var mask = CropBoxPlannerTests.ThreeRegionMask();
        var map = new GrayImage(900, 600);
        map[405, 320] = 200;
        using var image = new Mat(600, 900, MatType.CV_8UC3, new Scalar(1, 2, 3));

        using var result = SubImageCropper.Run(image, mask, 3, map, new MebinRange(100, 200));

        Assert.Equal(3, result.Crops.Count);
        Assert.All(result.Crops, c => Assert.Equal(new Size(180, 180), c.Image.Size()));
        Assert.Equal([200, 400, 400], result.Crops.Select(c => c.ForegroundArea));
        Assert.Equal([0f, 255f, 0f], result.Crops.Select(c => c.Score!.Value));
        Assert.Equal(1.0, result.Crops[1].ScoreFraction);
        Assert.Equal([0, 1, 2], result.Crops.Select(c => c.Index));
    }

    [Fact]
    public void Run_WithoutMap_HasNoScores()
    {
        using var image = new Mat(60, 90, MatType.CV_8UC3, Scalar.All(7));

        using var result = SubImageCropper.Run(image, new GrayImage(90, 60), 0);

        var crop = Assert.Single(result.Crops);
        Assert.Null(crop.Score);
        Assert.Equal(new Size(90, 60), crop.Image.Size());
        Assert.Equal(0, crop.ForegroundArea);
    }

    [Fact]
    public void Run_MapWithoutRange_IsRefused()
    {
        using var image = new Mat(10, 10, MatType.CV_8UC3, Scalar.All(0));

        Assert.Throws<ArgumentException>(() => SubImageCropper.Run(image, new GrayImage(10, 10), 0, new GrayImage(10, 10)));
    }
}
