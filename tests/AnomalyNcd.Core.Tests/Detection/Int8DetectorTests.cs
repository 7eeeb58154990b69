using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Features;

namespace AnomalyNcd.Core.Tests.Detection;

public class Int8DetectorTests(SyntheticDetectorFixture fixture) : IClassFixture<SyntheticDetectorFixture>
{
    private static readonly PatchCoreOptions Int8Options = new(CoresetFraction: 0.25, Precision: BackbonePrecision.Int8, CalibrationImages: 4);

    [Fact]
    public void FitInt8_SaveLoad_RecordsPrecisionAndScoresIdentically()
    {
        using var extractor = PatchFeatureExtractor.ForFitting(fixture.TrainingImages, Int8Options);
        using var detector = PatchCoreDetector.Fit(fixture.TrainingImages, "line-a", extractor, Int8Options);
        var folder = fixture.Folder("int8-roundtrip");
        detector.Save(folder);
        using var loaded = PatchCoreDetector.Load(folder, "line-a");
        using var loadedExtractor = PatchFeatureExtractor.ForDetector(loaded.Metadata);
        var images = fixture.Manifest.Rows.Where(r => r.Split == "test").Take(2).Select(r => fixture.Manifest.Resolve(r.Image)).ToList();

        var before = detector.Score(images, extractor);
        var after = loaded.Score(images, loadedExtractor);

        Assert.Equal("int8", loaded.Metadata.Precision);
        Assert.Equal(BackbonePrecision.Int8, loadedExtractor.Precision);
        Assert.NotNull(loaded.Metadata.Int8Ranges);
        Assert.Equal(detector.Metadata.Int8Ranges!.OrderBy(p => p.Key, StringComparer.Ordinal), loaded.Metadata.Int8Ranges!.OrderBy(p => p.Key, StringComparer.Ordinal));
        for (var i = 0; i < images.Count; i++)
        {
            Assert.Equal(before[i].Values, after[i].Values);
        }
    }

    [Fact]
    public void ScoreFp32Detector_WithInt8Backbone_RefusedNamingBothPrecisions()
    {
        using var int8 = PatchFeatureExtractor.ForFitting(fixture.TrainingImages, Int8Options);
        var image = fixture.TrainingImages[0];

        var error = Assert.Throws<InvalidInputException>(() => fixture.Detector.ScoreImage(image, int8));

        Assert.Contains("fitted with the fp32 backbone", error.Problem);
        Assert.Contains("int8", error.Problem);
    }

    [Fact]
    public void ScoreInt8Detector_WithFp32Backbone_Refused()
    {
        using var int8 = PatchFeatureExtractor.ForFitting(fixture.TrainingImages, Int8Options);
        using var detector = PatchCoreDetector.Fit(fixture.TrainingImages, "line-a", int8, Int8Options);

        var error = Assert.Throws<InvalidInputException>(() => detector.Score(fixture.TrainingImages.Take(1).ToList(), fixture.Extractor));

        Assert.Contains("fitted with the int8 backbone", error.Problem);
    }

    [Fact]
    public void Fit_ExtractorPrecisionDiffersFromOptions_Refused()
    {
        var error = Assert.Throws<ArgumentException>(() => PatchCoreDetector.Fit(fixture.TrainingImages, "line-a", fixture.Extractor, Int8Options));

        Assert.Contains("int8", error.Message);
    }

    [Fact]
    public void LoadInt8Detector_WithoutRanges_Refused()
    {
        var folder = fixture.Folder("int8-no-ranges");
        fixture.Detector.Save(folder);
        var metadataPath = Path.Combine(folder, PatchCoreDetector.MetadataFileName);
        File.WriteAllText(metadataPath, File.ReadAllText(metadataPath).Replace("\"precision\": \"fp32\"", "\"precision\": \"int8\"", StringComparison.Ordinal));

        var error = Assert.Throws<InvalidInputException>(() => PatchCoreDetector.Load(folder));

        Assert.Equal(metadataPath, error.InputPath);
        Assert.Contains("int8Ranges", error.Problem);
    }
}
