using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Tests.Binarization;

/// <summary>Regions from persistent peaks (<c>discover --region-rule persistent-peaks</c>) against MEBin's one threshold.</summary>
public class PeakRegionsTests
{
    private static readonly MebinRange Range = new(20, 250);
    private static readonly MebinSetOptions Peaks = MebinSetOptions.Default with { Rule = RegionRule.PersistentPeaks };

    /// <summary>A flat background of 30 with square plateaus of the given heights (centre x, centre y, half side, height).</summary>
    private static GrayImage Map(int width, int height, params (int X, int Y, int Half, byte Value)[] blobs)
    {
        var map = SyntheticAnomalyMaps.Flat(width, height, 30);
        foreach (var (cx, cy, half, value) in blobs)
        {
            for (var y = cy - half; y <= cy + half; y++)
            {
                for (var x = cx - half; x <= cx + half; x++)
                {
                    map[x, y] = value;
                }
            }
        }

        return map;
    }

    [Fact]
    public void Binarize_StrongAndWeakDefects_EachGetsItsOwnRegion()
    {
        // One strong and three weaker defects of different strength on one part.
        var map = Map(96, 96, (20, 20, 6, 245), (70, 20, 5, 120), (20, 70, 5, 95), (70, 70, 6, 160));

        var peaks = MebinSet.BinarizeOne(map, Range, Peaks);

        Assert.Equal(4, peaks.EstimatedRegionCount);
        Assert.All(new[] { (20, 20), (70, 20), (20, 70), (70, 70) }, c => Assert.Equal(255, peaks.Mask[c.Item1, c.Item2]));
        Assert.Equal(0, peaks.Mask[45, 45]);
    }

    [Fact]
    public void Binarize_MinPeakLevel_DropsOnlyThePeaksBelowIt_TheOthersKeepTheirCut()
    {
        var map = Map(96, 96, (20, 20, 6, 245), (70, 20, 5, 120), (20, 70, 5, 95), (70, 70, 6, 160));
        var gated = Peaks with { Peaks = new PeakRegionOptions { MinPeakLevel = 121 } };

        var all = MebinSet.BinarizeOne(map, Range, Peaks);
        var kept = MebinSet.BinarizeOne(map, Range, gated);

        Assert.Equal(2, kept.EstimatedRegionCount);
        Assert.Equal(255, kept.Mask[20, 20]);
        Assert.Equal(255, kept.Mask[70, 70]);
        Assert.Equal(0, kept.Mask[70, 20]);
        Assert.Equal(0, kept.Mask[20, 70]);
        // The two peaks above the level are cut exactly as without it.
        for (var y = 0; y < 96; y++)
        {
            for (var x = 0; x < 96; x++)
            {
                if (x > 45 == y > 45)
                {
                    Assert.Equal(all.Mask[x, y], kept.Mask[x, y]);
                }
            }
        }

        Assert.Equal(MebinSet.BinarizeOne(map, Range, gated with { Implementation = MebinImplementation.Reference }).Mask.Pixels, kept.Mask.Pixels);
    }

    [Fact]
    public void Binarize_UnevenTopOfOneDefect_StaysOneRegion()
    {
        // One defect whose response has two maxima (240 and 225) over a saddle of 200: a bump, not a second defect.
        var map = Map(64, 64, (32, 32, 10, 200));
        for (var y = 26; y <= 29; y++)
        {
            for (var x = 26; x <= 29; x++)
            {
                map[x, y] = 240;
                map[x + 9, y + 9] = 225;
            }
        }

        var result = MebinSet.BinarizeOne(map, Range, Peaks);

        Assert.Equal(1, result.EstimatedRegionCount);
        Assert.Equal(255, result.Mask[36, 36]);
    }

    [Fact]
    public void Binarize_MapBelowTheFloor_HasNoRegion()
    {
        var result = MebinSet.BinarizeOne(SyntheticAnomalyMaps.Flat(40, 40, 20), Range, Peaks);

        Assert.Equal(0, result.EstimatedRegionCount);
        Assert.All(result.Mask.Pixels, p => Assert.Equal(0, p));
    }

    [Fact]
    public void Binarize_PeakBarelyAboveTheFloor_IsNotPersistentEnough()
    {
        // 10 raw levels over a 230-level range are 11 normalised levels, under the 16 asked for.
        var result = MebinSet.BinarizeOne(Map(48, 48, (24, 24, 6, 30)), new MebinRange(20, 250), Peaks);

        Assert.Equal(0, result.EstimatedRegionCount);
    }

    [Fact]
    public void Binarize_TwoDefectsJoinedHigh_RegionsStayApart()
    {
        // Two strong defects on a ridge of 100 (well under both): each is cut above the ridge, two separate regions.
        var map = Map(80, 80, (40, 40, 30, 100));
        var strong = Map(80, 80, (20, 40, 5, 245), (60, 40, 5, 240));
        for (var i = 0; i < map.Pixels.Length; i++)
        {
            map.Pixels[i] = Math.Max(map.Pixels[i], strong.Pixels[i]);
        }

        var result = MebinSet.BinarizeOne(map, Range, Peaks);

        Assert.Equal(2, result.EstimatedRegionCount);
        Assert.Equal(255, result.Mask[20, 40]);
        Assert.Equal(255, result.Mask[60, 40]);
        Assert.Equal(0, result.Mask[40, 40]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(8)]
    public void Binarize_FastAgreesWithReference_OnDetectorLikeMaps(int seed)
    {
        var random = new Random(seed);
        var map = SyntheticAnomalyMaps.DetectorLike(random, 40, 32, maxBlobs: 6);
        var range = new MebinRange(15, 230);
        // Loose rules, so that many peaks (texture included) are selected and their cut floors matter.
        var loose = Peaks with { Peaks = new PeakRegionOptions { MinPersistence = 2, MinProminence = 0.05 } };

        var fast = MebinSet.BinarizeOne(map, range, loose);
        var reference = MebinSet.BinarizeOne(map, range, loose with { Implementation = MebinImplementation.Reference });

        Assert.InRange(fast.EstimatedRegionCount, 3, 400);
        Assert.Equal(reference.Choice, fast.Choice);
        Assert.Equal(reference.Mask.Pixels, fast.Mask.Pixels);
        Assert.Equal(reference.Counts, fast.Counts);
    }

    [Fact]
    public void Binarize_LowerCut_ReachesFurtherDownTheDefect_AndHoldsTheHalfwayRegion()
    {
        // A cone: a defect whose response falls off with the distance from its centre, as a detector draws one.
        var map = SyntheticAnomalyMaps.Flat(64, 64, 30);
        for (var y = 0; y < 64; y++)
        {
            for (var x = 0; x < 64; x++)
            {
                map[x, y] = (byte)Math.Max(30, 240 - (8 * Math.Max(Math.Abs(x - 32), Math.Abs(y - 32))));
            }
        }

        var halfway = MebinSet.BinarizeOne(map, Range, Peaks);
        var lower = Peaks with { Peaks = new PeakRegionOptions { CutFraction = 0.25 } };
        var low = MebinSet.BinarizeOne(map, Range, lower);

        Assert.Equal(1, halfway.EstimatedRegionCount);
        Assert.Equal(1, low.EstimatedRegionCount);
        var halfwayArea = halfway.Mask.Pixels.Count(p => p == 255);
        var lowArea = low.Mask.Pixels.Count(p => p == 255);
        Assert.True(lowArea > 2 * halfwayArea, $"the lower cut keeps {lowArea} pixels, halfway {halfwayArea}");
        Assert.All(Enumerable.Range(0, halfway.Mask.Pixels.Length).Where(i => halfway.Mask.Pixels[i] == 255), i => Assert.Equal(255, low.Mask.Pixels[i]));
        Assert.Equal(MebinSet.BinarizeOne(map, Range, lower with { Implementation = MebinImplementation.Reference }).Mask.Pixels, low.Mask.Pixels);
    }

    [Fact]
    public void Binarize_StableCountRule_IsStillMebin()
    {
        var map = Map(96, 96, (20, 20, 6, 245), (70, 20, 5, 120));

        var rule = MebinSet.BinarizeOne(map, Range, MebinSetOptions.Default);
        var mebin = MebinFast.Binarize(map, Range);

        Assert.Equal(mebin.Choice, rule.Choice);
        Assert.Equal(mebin.Mask.Pixels, rule.Mask.Pixels);
    }

    [Theory]
    [InlineData(-1, 0.5, "--peak-persistence")]
    [InlineData(256, 0.5, "--peak-persistence")]
    [InlineData(16, -0.1, "--peak-prominence")]
    [InlineData(16, 1.5, "--peak-prominence")]
    public void Validate_OutOfRange_NamesTheOption(double persistence, double prominence, string option)
    {
        var options = new PeakRegionOptions { MinPersistence = persistence, MinProminence = prominence };

        var error = Assert.Throws<InvalidInputException>(options.Validate);

        Assert.Equal(option, error.InputPath);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.25)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Validate_CutOutsideThePeak_NamesTheOption(double fraction)
    {
        var error = Assert.Throws<InvalidInputException>(new PeakRegionOptions { CutFraction = fraction }.Validate);

        Assert.Equal("--peak-cut", error.InputPath);
    }
}
