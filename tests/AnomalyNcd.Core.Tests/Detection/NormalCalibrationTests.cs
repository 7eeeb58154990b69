using System.Text.Json;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Detection;

namespace AnomalyNcd.Core.Tests.Detection;

public class NormalCalibrationTests(SyntheticDetectorFixture fixture) : IClassFixture<SyntheticDetectorFixture>
{
    [Fact]
    public void Fit_CalibratesOnEveryTrainingImageLeftOutOfTheBank()
    {
        var calibration = fixture.Detector.Calibration;

        // Every training image is held out once: the even-numbered ones give the position reference, the odd ones the statistics.
        Assert.NotNull(calibration);
        Assert.True(fixture.TrainingImages.Count >= 4);
        Assert.Equal(fixture.TrainingImages.Count / 2, calibration.Images);
        Assert.Equal(calibration.ImageScores.Order(), calibration.ImageScores);
        Assert.Equal(NormalCalibration.PixelLevels.Count, calibration.PixelQuantiles.Count);
        Assert.Equal(calibration.PixelQuantiles.Order(), calibration.PixelQuantiles);
        Assert.Equal(28 * 28, calibration.PositionReference.Count);
        Assert.All(calibration.PositionReference, v => Assert.True(v > 0));
        Assert.Equal(calibration.ImageScores.Count, calibration.AdjustedImageScores.Count);
        Assert.Equal(28 * 28, calibration.PositionSpread.Count);
        Assert.All(calibration.PositionSpread, v => Assert.True(v > 0));
        Assert.Equal(calibration.ImageScores.Count, calibration.StandardizedImageScores.Count);
        Assert.Equal(calibration.StandardizedImageScores.Order(), calibration.StandardizedImageScores);
        Assert.Equal(calibration.ImageScores.Count, calibration.StandardizedTopShareScores.Count);
        Assert.Equal(calibration.StandardizedTopShareScores.Order(), calibration.StandardizedTopShareScores);
        // A mean of the top 2 % of a map's pixels lies below its peak: the n-th highest of each list bounds the n-th of the other.
        Assert.All(calibration.StandardizedTopShareScores.Zip(calibration.StandardizedImageScores), pair => Assert.True(pair.First <= pair.Second));
    }

    [Fact]
    public void PositionStatistics_MeanAndSpreadPerCell_SpreadAtLeastHalfTheMedian()
    {
        // Four cells over three images: cell 0 varies (1, 3, 5), cells 1 and 2 vary a little, cell 3 never.
        float[][] images = [[1f, 2f, 2.0f, 7f], [3f, 2.5f, 2.2f, 7f], [5f, 3f, 2.4f, 7f]];

        var (mean, spread) = NormalCalibrator.PositionStatistics(images, 4);

        Assert.Equal([3f, 2.5f, 2.2f, 7f], mean.Select(v => MathF.Round(v, 4)));
        Assert.Equal(MathF.Sqrt(8f / 3), spread[0], 4);
        Assert.Equal(MathF.Sqrt(1f / 6), spread[1], 4);
        // The median spread is cell 1's (sorted: 0, 0.163, 0.408, 1.633 → index 2); cells below half of it are raised.
        Assert.Equal(spread[1] * NormalCalibration.SpreadFloorFraction, spread[3], 4);
        Assert.Equal(Math.Max(MathF.Sqrt(0.08f / 3), spread[1] * NormalCalibration.SpreadFloorFraction), spread[2], 4);
    }

    [Fact]
    public void RenderReference_DrawsTheGridAsTheDetectorDrawsItsMaps()
    {
        var calibration = fixture.Detector.Calibration!;

        var drawn = calibration.RenderReference(100, 60);

        Assert.Equal(PatchCoreDetector.Render([.. calibration.PositionReference], 28, 28, fixture.Detector.Metadata.SmoothingSigma, 100, 60, 100, 60), drawn);
        Assert.InRange(drawn.Average(), calibration.PositionReference.Min(), calibration.PositionReference.Max());
    }

    [Fact]
    public void Fit_LeaveOneOutScoresAreAtLeastTheInBankScores()
    {
        // Without its own bank rows an image can only be farther from the bank: the calibration sees it as unseen.
        var statisticsImages = fixture.TrainingImages.Where((_, i) => i % 2 == 1).ToList();
        var inBank = fixture.Detector.Score(statisticsImages, fixture.Extractor).Select(m => m.Score).Order().ToList();
        var heldOut = fixture.Detector.Calibration!.ImageScores;

        Assert.Equal(inBank.Count, heldOut.Count);
        Assert.True(heldOut.Sum() > inBank.Sum() * 1.01, $"held-out scores sum {heldOut.Sum()} vs in-bank {inBank.Sum()}");
    }

    [Fact]
    public void SaveLoad_KeepsTheCalibration()
    {
        var folder = fixture.Folder("calibration-roundtrip");
        fixture.Detector.Save(folder);

        using var loaded = PatchCoreDetector.Load(folder);

        Assert.Equal(fixture.Detector.Calibration!.ImageScores, loaded.Calibration!.ImageScores);
        Assert.Equal(fixture.Detector.Calibration!.PixelQuantiles, loaded.Calibration!.PixelQuantiles);
        Assert.Equal(fixture.Detector.Calibration!.PositionSpread, loaded.Calibration!.PositionSpread);
        Assert.Equal(fixture.Detector.Calibration!.StandardizedImageScores, loaded.Calibration!.StandardizedImageScores);
        Assert.Equal(fixture.Detector.Calibration!.StandardizedTopShareScores, loaded.Calibration!.StandardizedTopShareScores);
    }

    [Fact]
    public void Load_DamagedOrOtherVersionOrMissing_IsRefusedNamingTheFile()
    {
        var folder = fixture.Folder("calibration-bad");
        fixture.Detector.Save(folder);
        var path = Path.Combine(folder, NormalCalibration.FileName);
        var text = File.ReadAllText(path);

        var loaded = NormalCalibration.Load(folder);
        File.WriteAllText(path, JsonSerializer.Serialize(loaded with { PositionSpread = [.. loaded.PositionSpread.Select((v, i) => i == 5 ? -1f : v)] }, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        var negativeSpread = Assert.Throws<InvalidInputException>(() => NormalCalibration.Load(folder));
        Assert.Contains("position spread", negativeSpread.Message, StringComparison.Ordinal);

        File.WriteAllText(path, JsonSerializer.Serialize(loaded with { StandardizedTopShareScores = [.. loaded.StandardizedTopShareScores.Skip(1)] }, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        var shortTopShare = Assert.Throws<InvalidInputException>(() => NormalCalibration.Load(folder));
        Assert.Equal(path, shortTopShare.InputPath);
        Assert.Contains("top-share", shortTopShare.Message, StringComparison.Ordinal);

        File.WriteAllText(path, text[..(text.Length / 2)]);
        var damaged = Assert.Throws<InvalidInputException>(() => PatchCoreDetector.Load(folder));
        Assert.Equal(path, damaged.InputPath);

        File.WriteAllText(path, text.Replace("\"formatVersion\": 1", "\"formatVersion\": 7", StringComparison.Ordinal));
        var version = Assert.Throws<InvalidInputException>(() => NormalCalibration.Load(folder));
        Assert.Contains("version 7", version.Message, StringComparison.Ordinal);

        File.Delete(path);
        using var withoutCalibration = PatchCoreDetector.Load(folder);
        Assert.Null(withoutCalibration.Calibration);
        var missing = Assert.Throws<InvalidInputException>(() => NormalCalibration.Load(folder));
        Assert.Contains("fit it again", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quantiles_OfHandMadeMaps()
    {
        var maps = new[] { 1f, 2f, 3f, 4f, 5f }.Select(peak => new AnomalyMap(2, 1, [0f, peak], peak)).ToList();

        var calibration = NormalCalibration.FromMaps(maps);

        Assert.Equal(3f, calibration.ImageScoreQuantile(0.5));
        Assert.Equal(4.6f, calibration.ImageScoreQuantile(0.9), 4);
        Assert.Equal(5f, calibration.PixelQuantile(1.0));
        Assert.Equal(0.5f, calibration.PixelQuantile(0.5), 4);
    }
}
