using System.IO.Compression;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Features;
using AnomalyNcd.Grains.Detection;
using AnomalyNcd.Grains.Tests.Support;

namespace AnomalyNcd.Grains.Tests.Detection;

/// <summary>A line's detector fitted with Core's code into one zip that Core loads back, with its normal calibration.</summary>
public sealed class DetectorFittingTests : IDisposable
{
    private static readonly PatchCoreOptions SmallFit = new(CoresetFraction: 0.25, Precision: BackbonePrecision.Fp32);

    private readonly TempFolder folder = TestData.NewTempFolder();

    [Fact]
    public void Fit_ThreeNormalImages_ZipOfADetectorCoreLoadsWithItsCalibration()
    {
        var images = WriteImages(3);

        var fitted = DetectorFitting.Fit(images, "line-a", SmallFit, folder.Combine("work"), null, CancellationToken.None);

        Assert.Equal(3, fitted.NormalImages);
        Assert.Contains("normal", fitted.Calibration, StringComparison.OrdinalIgnoreCase);
        var unpacked = folder.Combine("unpacked");
        ZipFile.ExtractToDirectory(new MemoryStream(fitted.Zip), unpacked);
        using var detector = PatchCoreDetector.Load(unpacked, "line-a");
        Assert.Equal(3, detector.Metadata.FittedImages);
        Assert.NotNull(detector.Calibration);
        Assert.Empty(Directory.GetDirectories(folder.Combine("work"))); // the work folder is cleaned up
    }

    [Fact]
    public void Fit_TheSameImagesAgain_TheSameZipBytes_SoARestartedJobRegistersNoSecondVersion()
    {
        var images = WriteImages(3);

        var first = DetectorFitting.Fit(images, "line-a", SmallFit, folder.Combine("work"), null, CancellationToken.None);
        Thread.Sleep(1100); // the files of the second fit get other timestamps, which a plain zip would record
        var second = DetectorFitting.Fit(images, "line-a", SmallFit, folder.Combine("work"), null, CancellationToken.None);

        Assert.Equal(first.Zip, second.Zip);
    }

    [Fact]
    public void Fit_OneImage_RefusedForWantOfANormalCalibration()
    {
        var images = WriteImages(1);

        var refused = Assert.Throws<InvalidInputException>(() => DetectorFitting.Fit(images, "line-a", SmallFit, folder.Combine("work"), null, CancellationToken.None));

        Assert.Contains("no normal calibration", refused.Message);
    }

    public void Dispose() => folder.Dispose();

    private string[] WriteImages(int count) => [.. Enumerable.Range(0, count).Select(i =>
    {
        var path = folder.Combine($"normal-{i}.png");
        File.WriteAllBytes(path, SyntheticPicture.ImagePng(variant: i));
        return path;
    })];
}
