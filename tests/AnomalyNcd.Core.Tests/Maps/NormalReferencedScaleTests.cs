using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Maps;

namespace AnomalyNcd.Core.Tests.Maps;

/// <summary>The normal-referenced scale on small hand-made maps: the normal level becomes MEBin's floor.</summary>
public class NormalReferencedScaleTests
{
    private const int Size = 48;

    /// <summary>
    /// Ten normal maps: texture between 0.45 and 0.55, with one brighter normal speck whose height grows per map up to
    /// 0.98; a flat position reference (0 everywhere) and a spread of 1 everywhere, so adjusted, standardised and raw
    /// scores agree.
    /// </summary>
    /// <summary>30 held-out normal maps: enough for a gate at the 0.9 quantile (3 above it).</summary>
    private static NormalCalibration NormalCalibration(int images = 30)
    {
        var calibration = Core.Detection.NormalCalibration.FromMaps([.. Enumerable.Range(0, images).Select(i => Map(0.5f, 0.1f, seed: i, blob: (10 + i, 10, 3, 0.8f + (0.02f * i))))]);
        return calibration with
        {
            GridSize = 4, SmoothingSigma = 0, PositionReference = new float[16], AdjustedImageScores = calibration.ImageScores,
            PositionSpread = [.. Enumerable.Repeat(1f, 16)], StandardizedImageScores = calibration.ImageScores,
        };
    }

    [Fact]
    public void Apply_PositionSpread_AsksMoreWhereNormalImagesVaryMore()
    {
        // The left half of the grid is where normal texture varies four times as much (e.g. a chamfered edge): the
        // same excess over the reference is an ordinary normal deviation there, a defect on the steady right half.
        var spread = new float[16];
        for (var c = 0; c < 16; c++)
        {
            spread[c] = c % 4 < 2 ? 4f : 1f;
        }

        var calibration = NormalCalibration() with { PositionSpread = spread };
        var left = new FloatMap(Size, Size, Map(0.5f, 0.1f, seed: 49, blob: (10, 24, 4, 1.5f)).Values);
        var right = new FloatMap(Size, Size, Map(0.5f, 0.1f, seed: 50, blob: (38, 24, 4, 1.5f)).Values);

        var standardized = new NormalReferencedScale(calibration);
        var meanOnly = new NormalReferencedScale(calibration, new NormalReferencedScaleOptions { PositionStandardized = false });

        Assert.Equal(1, MebinSet.BinarizeOne(meanOnly.Apply(left), NormalReferencedScale.MebinRange, MebinSetOptions.Default).EstimatedRegionCount);
        Assert.Equal(0, MebinSet.BinarizeOne(standardized.Apply(left), NormalReferencedScale.MebinRange, MebinSetOptions.Default).EstimatedRegionCount);
        Assert.Equal(1, MebinSet.BinarizeOne(standardized.Apply(right), NormalReferencedScale.MebinRange, MebinSetOptions.Default).EstimatedRegionCount);
        Assert.Equal(1.5f / 4, standardized.Adjust(left).Values[(24 * Size) + 10], 4);
    }

    [Fact]
    public void Standardized_OnACalibrationWithoutSpread_IsRefusedSayingToFitAgain_MeanOnlyStillWorks()
    {
        var old = NormalCalibration() with { PositionSpread = [], StandardizedImageScores = [] };

        var error = Assert.Throws<InvalidInputException>(() => new NormalReferencedScale(old));

        Assert.Contains("detect fit", error.Message, StringComparison.Ordinal);
        Assert.Contains(Core.Detection.NormalCalibration.FileName, error.Message, StringComparison.Ordinal);
        Assert.Equal(old.AdjustedImageScoreQuantile(0.5), new NormalReferencedScale(old, new NormalReferencedScaleOptions { PositionStandardized = false }).Floor);
    }

    [Fact]
    public void Apply_PositionReference_RemovesWhatEveryNormalImageScoresAtAPlace()
    {
        // Normal images all score 0.9 higher in the top-left corner (a border effect); a defect in the centre does not.
        var reference = new float[16];
        reference[0] = reference[1] = reference[4] = reference[5] = 0.9f;
        var calibration = NormalCalibration() with { PositionReference = reference };
        var corner = Map(0.5f, 0.1f, seed: 47, blob: (5, 5, 4, 1.5f));
        var centre = Map(0.5f, 0.1f, seed: 48, blob: (30, 30, 4, 1.5f));

        var adjusted = new NormalReferencedScale(calibration);
        var unadjusted = new NormalReferencedScale(calibration, new NormalReferencedScaleOptions { PositionAdjusted = false });

        Assert.Equal(1, MebinSet.BinarizeOne(unadjusted.Apply(new FloatMap(Size, Size, corner.Values)), NormalReferencedScale.MebinRange, MebinSetOptions.Default).EstimatedRegionCount);
        Assert.Equal(0, MebinSet.BinarizeOne(adjusted.Apply(new FloatMap(Size, Size, corner.Values)), NormalReferencedScale.MebinRange, MebinSetOptions.Default).EstimatedRegionCount);
        Assert.Equal(1, MebinSet.BinarizeOne(adjusted.Apply(new FloatMap(Size, Size, centre.Values)), NormalReferencedScale.MebinRange, MebinSetOptions.Default).EstimatedRegionCount);
    }

    [Fact]
    public void Apply_ImageScoringInsideTheNormalRange_GetsNoRegion()
    {
        var scale = new NormalReferencedScale(NormalCalibration());
        var normal = Map(0.5f, 0.1f, seed: 42, blob: (30, 30, 3, scale.Floor - 0.01f));

        var gray = scale.Apply(new FloatMap(Size, Size, normal.Values));
        var result = MebinSet.BinarizeOne(gray, NormalReferencedScale.MebinRange, MebinSetOptions.Default);

        Assert.All(gray.Pixels, p => Assert.Equal(0, p));
        Assert.Equal(0, result.EstimatedRegionCount);
    }

    [Fact]
    public void Apply_FaintDefectJustAboveTheNormalRange_KeepsItsRegion()
    {
        // The floor alone (no image gate; the default gate at the normal 90th percentile is tested below).
        var scale = new NormalReferencedScale(NormalCalibration(), new NormalReferencedScaleOptions { ImageGateQuantile = null });
        // A faint defect: its peak lies only 15 % above the floor, far below what a strong defect in a batch would reach.
        var faint = Map(0.5f, 0.1f, seed: 43, blob: (30, 24, 7, scale.Floor * 1.15f));

        var gray = scale.Apply(new FloatMap(Size, Size, faint.Values));
        var result = MebinSet.BinarizeOne(gray, NormalReferencedScale.MebinRange, MebinSetOptions.Default);

        Assert.Equal(1, result.EstimatedRegionCount);
        Assert.Equal(255, result.Mask[30, 24]);
        Assert.Equal(0, result.Mask[5, 40]);
    }

    [Fact]
    public void Apply_NormalImageInABatch_GetsARegionFromTheSetRangeButNoneFromTheNormalReference()
    {
        // In a batch, MEBin's range starts at the weakest map's peak, so a normal map with an ordinary bright speck
        // (below what held-out normal images reach) is swept down to its texture and gets a region.
        var scale = new NormalReferencedScale(NormalCalibration());
        var normal = new FloatMap(Size, Size, Map(0.5f, 0.1f, seed: 44, blob: (30, 24, 3, scale.Floor - 0.02f)).Values);
        var strong = new FloatMap(Size, Size, Map(0.5f, 0.1f, seed: 45, blob: (20, 20, 7, scale.Floor * 2f)).Values);
        var quiet = new FloatMap(Size, Size, Map(0.5f, 0.1f, seed: 46, blob: (10, 10, 3, 0.6f)).Values);

        var parity = MebinSet.Binarize(MapNormalization.PerSet([normal, strong, quiet]), "batch");

        Assert.True(parity.Results[0].EstimatedRegionCount > 0);
        Assert.Equal(0, MebinSet.BinarizeOne(scale.Apply(normal), NormalReferencedScale.MebinRange, MebinSetOptions.Default).EstimatedRegionCount);
        Assert.Equal(1, MebinSet.BinarizeOne(scale.Apply(strong), NormalReferencedScale.MebinRange, MebinSetOptions.Default).EstimatedRegionCount);
    }

    [Fact]
    public void Floor_IsTheChosenQuantileOfHeldOutImageScores_AndTheFixedCeilingAMultipleOfIt()
    {
        var calibration = NormalCalibration();
        var median = new NormalReferencedScale(calibration, new NormalReferencedScaleOptions { FloorQuantile = 0.5, Top = ScaleTop.Fixed, FixedTopFactor = 3 });

        Assert.Equal(calibration.StandardizedImageScoreQuantile(0.5), median.Floor);
        Assert.Equal(median.Floor * 3, median.Ceiling, 4);
        Assert.True(new NormalReferencedScale(calibration, new NormalReferencedScaleOptions { FloorQuantile = 0.95 }).Floor > median.Floor);
    }

    [Fact]
    public void ImageGate_ImageAboveTheFloorButInsideTheGate_GetsNoRegion_AStrongerOneKeepsTheSameRegionAsWithoutGate()
    {
        var calibration = NormalCalibration();
        // The lowest floor, so that a map can rise well above it (as far as the faint defect above) and stay under the gate.
        var plain = new NormalReferencedScale(calibration, new NormalReferencedScaleOptions { FloorQuantile = 0, ImageGateQuantile = null });
        var gated = new NormalReferencedScale(calibration, new NormalReferencedScaleOptions { FloorQuantile = 0, ImageGateQuantile = 0.9 });
        Assert.Equal(calibration.StandardizedImageScoreQuantile(0.9), gated.Gate);
        Assert.True(gated.Gate > plain.Floor);
        Assert.True(float.IsNaN(plain.Gate));

        // Between the floor and the gate: a region without the gate, none with it.
        var height = gated.Gate - 0.005f;
        Assert.True(height > plain.Floor * 1.15f);
        var between = new FloatMap(Size, Size, Map(0.5f, 0.1f, seed: 47, blob: (30, 24, 7, height)).Values);
        Assert.Equal(1, MebinSet.BinarizeOne(plain.Apply(between), NormalReferencedScale.MebinRange, MebinSetOptions.Default).EstimatedRegionCount);
        Assert.All(gated.Apply(between).Pixels, p => Assert.Equal(0, p));

        // Above the gate: the gate changes nothing, the map is scaled against the same floor and ceiling.
        var strong = new FloatMap(Size, Size, Map(0.5f, 0.1f, seed: 48, blob: (20, 20, 5, gated.Gate * 1.2f)).Values);
        Assert.Equal(plain.Apply(strong).Pixels, gated.Apply(strong).Pixels);
    }

    [Fact]
    public void RegionGateLevel_IsTheGateOnTheEightBitScale_OnlyWhenAsked()
    {
        var calibration = NormalCalibration();
        var options = new NormalReferencedScaleOptions { FloorQuantile = 0, ImageGateQuantile = 0.9 };
        var scale = new NormalReferencedScale(calibration, options with { GateRegions = true });

        Assert.Equal(MapNormalization.ToByte(scale.Gate, scale.Floor, scale.Ceiling), scale.RegionGateLevel);
        Assert.InRange(scale.RegionGateLevel!.Value, 1, 254);
        Assert.Null(new NormalReferencedScale(calibration, options with { GateRegions = false }).RegionGateLevel);

        // Asked for where it cannot apply (no image gate, or each map's own peak at 255): no level, no refusal.
        Assert.Null(new NormalReferencedScale(calibration, options with { ImageGateQuantile = null }).RegionGateLevel);
        Assert.Null(new NormalReferencedScale(calibration, options with { Top = ScaleTop.PerImagePeak }).RegionGateLevel);
    }

    [Fact]
    public void Gate_TooFewHeldOutNormalsAboveIt_IsNotUsed_AndTheScaleSaysWhy()
    {
        var few = new NormalReferencedScale(NormalCalibration(images: 29));

        Assert.False(NormalReferencedScaleOptions.EnoughNormalsFor(0.9, 29));
        Assert.True(NormalReferencedScaleOptions.EnoughNormalsFor(0.9, 30));
        Assert.True(NormalReferencedScaleOptions.EnoughNormalsFor(0.5, 6));
        Assert.True(float.IsNaN(few.Gate));
        Assert.Null(few.RegionGateLevel);
        Assert.Contains("no image gate", few.ToString(), StringComparison.Ordinal);

        // Without a gate the floor alone decides: a map between the floor and where the gate would be keeps its region.
        var gated = new NormalReferencedScale(NormalCalibration());
        var between = new FloatMap(Size, Size, Map(0.5f, 0.1f, seed: 47, blob: (30, 24, 7, (few.Floor + gated.Gate) / 2)).Values);
        Assert.All(gated.Apply(between).Pixels, p => Assert.Equal(0, p));
        Assert.Contains(few.Apply(between).Pixels, p => p > 0);
    }

    [Fact]
    public void Defaults_GateImagesAtTheNormalNinetiethPercentile_AndEveryRegionWithThem()
    {
        var scale = new NormalReferencedScale(NormalCalibration());

        Assert.Equal(NormalCalibration().StandardizedImageScoreQuantile(NormalReferencedScaleOptions.DefaultImageGate), scale.Gate);
        Assert.Equal(MapNormalization.ToByte(scale.Gate, scale.Floor, scale.Ceiling), scale.RegionGateLevel);
        Assert.Contains("every region", scale.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AreaGate_ALoneBrightSpeckAboveThePeakGate_GetsNoRegion_ADefectWithAnAreaKeepsItsRegion()
    {
        var maps = Enumerable.Range(0, 30).Select(i => Map(0.5f, 0.1f, seed: i, blob: (10 + i, 10, 3, 0.8f + (0.02f * i)))).ToList();
        var calibration = NormalCalibration() with { StandardizedTopShareScores = [.. maps.Select(m => TopShareScore.Of(m.Values)).Order()] };
        var options = new NormalReferencedScaleOptions { FloorQuantile = 0, ImageGateQuantile = 0.9, GateOnArea = true };
        var area = new NormalReferencedScale(calibration, options);
        var peakOnly = new NormalReferencedScale(calibration, options with { GateOnArea = false });
        Assert.Equal(calibration.StandardizedTopShareQuantile(0.9), area.AreaGate);
        Assert.True(float.IsNaN(peakOnly.AreaGate));
        Assert.Equal(peakOnly.Gate, area.Gate);

        // One pixel above the peak gate on normal texture: the peak gate passes it, its top 2 % do not.
        var speck = new FloatMap(Size, Size, Map(0.5f, 0.1f, seed: 60, blob: (24, 24, 0, area.Gate * 1.2f)).Values);
        Assert.True(TopShareScore.Of(speck.Values) <= area.AreaGate);
        Assert.Contains(peakOnly.Apply(speck).Pixels, p => p > 0);
        Assert.All(area.Apply(speck).Pixels, p => Assert.Equal(0, p));

        // A defect as high over 15 × 15 pixels passes both gates and is scaled exactly as without the area gate.
        var defect = new FloatMap(Size, Size, Map(0.5f, 0.1f, seed: 61, blob: (24, 24, 7, area.Gate * 1.2f)).Values);
        Assert.Contains(area.Apply(defect).Pixels, p => p > 0);
        Assert.Equal(peakOnly.Apply(defect).Pixels, area.Apply(defect).Pixels);
        Assert.Contains("top 2", area.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AreaGate_OnACalibrationWithoutTopShareScores_IsOff_AndTheScaleSaysToFitAgain()
    {
        var scale = new NormalReferencedScale(NormalCalibration(), NormalReferencedScaleOptions.Default with { GateOnArea = true });

        Assert.False(float.IsNaN(scale.Gate));
        Assert.True(float.IsNaN(scale.AreaGate));
        Assert.Contains("fit the detector again", scale.ToString(), StringComparison.Ordinal);
        // Where the area gate cannot apply anyway (maps only minus the position reference), the description does not send the user to fit again.
        var asked = NormalReferencedScaleOptions.Default with { GateOnArea = true };
        Assert.DoesNotContain("area gate", new NormalReferencedScale(NormalCalibration(), asked with { PositionStandardized = false }).ToString(), StringComparison.Ordinal);
        Assert.False((asked with { PositionStandardized = false }).AreaGateApplies);
        Assert.False((asked with { ImageGateQuantile = null }).AreaGateApplies);
        Assert.True(asked.AreaGateApplies);

        // Off unless asked for (measured: docs/RESULTS.md, stop 39), and then nothing is said about it.
        Assert.False(NormalReferencedScaleOptions.Default.AreaGateApplies);
        Assert.DoesNotContain("area gate", new NormalReferencedScale(NormalCalibration()).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TopShareScore_IsTheMeanOfTheHighestTwoPercent_AtLeastOnePixel()
    {
        Assert.Equal(98.5f, TopShareScore.Of([.. Enumerable.Range(0, 100).Select(v => (float)v)]));
        Assert.Equal(7f, TopShareScore.Of([7f]));
        // 51 pixels: ⌈1.02⌉ = 2 of them.
        Assert.Equal(49.5f, TopShareScore.Of([.. Enumerable.Range(0, 51).Select(v => (float)v).Reverse()]));
        Assert.Throws<ArgumentException>(() => TopShareScore.Of([]));
    }

    [Fact]
    public void Options_OutOfRange_AreRefusedNamingTheOption()
    {
        var error = Assert.Throws<InvalidInputException>(() => new NormalReferencedScale(NormalCalibration(), new NormalReferencedScaleOptions { FloorQuantile = 1.5 }));
        Assert.Contains("--floor-quantile", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidInputException>(() => new NormalReferencedScaleOptions { FixedTopFactor = 1 }.Validate());
        var gate = Assert.Throws<InvalidInputException>(() => new NormalReferencedScaleOptions { ImageGateQuantile = -0.1 }.Validate());
        Assert.Contains("--image-gate", gate.Message, StringComparison.Ordinal);
    }

    /// <summary>Uniform noise around <paramref name="level"/> plus a square blob (x, y, half side, height).</summary>
    internal static AnomalyMap Map(float level, float noise, int seed, (int X, int Y, int Half, float Height) blob)
    {
        var random = new Random(seed);
        var values = new float[Size * Size];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                var inBlob = Math.Abs(x - blob.X) <= blob.Half && Math.Abs(y - blob.Y) <= blob.Half;
                values[(y * Size) + x] = inBlob ? blob.Height : level + ((float)random.NextDouble() - 0.5f) * noise;
            }
        }

        return new AnomalyMap(Size, Size, values, values.Max());
    }
}
