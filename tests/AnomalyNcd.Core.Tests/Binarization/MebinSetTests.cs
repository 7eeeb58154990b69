using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Tests.Binarization;

public class MebinSetTests
{
    private sealed class Recorder : IProgress<ProgressUpdate>
    {
        public List<ProgressUpdate> Updates { get; } = [];

        public void Report(ProgressUpdate value)
        {
            lock (Updates)
            {
                Updates.Add(value);
            }
        }
    }

    private static List<GrayImage> RandomMaps(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => SyntheticAnomalyMaps.DetectorLike(random, 64, 48)).ToList();
    }

    [Fact]
    public void Binarize_DegenerateSet_RefusedNamingSetAndProblem()
    {
        // every map peaks at 255, e.g. maps normalised per image (bug B2)
        var maps = RandomMaps(3, 1);
        foreach (var map in maps)
        {
            map[0, 0] = 255;
        }

        var error = Assert.Throws<InvalidInputException>(() => MebinSet.Binarize(maps, "category bottle"));
        Assert.Equal("category bottle", error.InputPath);
        Assert.Contains("degenerate", error.Problem);
        Assert.Contains("255", error.Problem);
    }

    [Fact]
    public void Binarize_DegenerateSetWithFallback_UsesGlobalMinimum()
    {
        var maps = RandomMaps(3, 2);
        foreach (var map in maps)
        {
            map[0, 0] = 255;
        }

        var globalMin = maps.Min(m => m.Pixels.Min());
        var result = MebinSet.Binarize(maps, "set", MebinSetOptions.Default with { DegenerateRange = DegenerateRangePolicy.UseGlobalMinimum });
        Assert.Equal(new MebinRange(globalMin, 255), result.Range);
        Assert.Equal(3, result.Results.Count);
        Assert.All(result.Results, r => Assert.Equal(64, r.Counts.Count));
    }

    [Fact]
    public void Binarize_FixedRange_IsUsedInsteadOfTheSetsOwn()
    {
        var maps = RandomMaps(4, 5);
        var fixedRange = new MebinRange(3, 250);

        var result = MebinSet.Binarize(maps, "set", MebinSetOptions.Default with { FixedRange = fixedRange });

        Assert.NotEqual(MebinRange.FromMaps(maps), result.Range);
        Assert.Equal(fixedRange, result.Range);
        for (var i = 0; i < maps.Count; i++)
        {
            Assert.Equal(MebinSet.BinarizeOne(maps[i], fixedRange, MebinSetOptions.Default).Counts, result.Results[i].Counts);
        }
    }

    [Fact]
    public void Binarize_ParallelOverMaps_EqualsSequentialAndReportsEveryMap()
    {
        var maps = RandomMaps(24, 3);
        var recorder = new Recorder();
        var parallel = MebinSet.Binarize(maps, "set", MebinSetOptions.Default with { MaxDegreeOfParallelism = 4 }, recorder);
        var sequential = MebinSet.Binarize(maps, "set", MebinSetOptions.Default with { MaxDegreeOfParallelism = 1 });

        Assert.Equal(sequential.Range, parallel.Range);
        for (var i = 0; i < maps.Count; i++)
        {
            Assert.Equal(sequential.Results[i].Counts, parallel.Results[i].Counts);
            Assert.Equal(sequential.Results[i].Choice, parallel.Results[i].Choice);
            Assert.Equal(sequential.Results[i].Mask.Pixels, parallel.Results[i].Mask.Pixels);
        }

        Assert.Equal(25, recorder.Updates.Count); // the initial 0/24 and one per map
        Assert.Equal(Enumerable.Range(0, 25), recorder.Updates.Select(u => u.Done).Order());
        Assert.All(recorder.Updates, u => Assert.Equal(24, u.Total));
    }

    [Fact]
    public void Binarize_ReferenceImplementation_GivesSameResultsAsFast()
    {
        var maps = RandomMaps(6, 4);
        var fast = MebinSet.Binarize(maps, "set");
        var reference = MebinSet.Binarize(maps, "set", MebinSetOptions.Default with { Implementation = MebinImplementation.Reference });
        for (var i = 0; i < maps.Count; i++)
        {
            Assert.Equal(reference.Results[i].Choice, fast.Results[i].Choice);
            Assert.Equal(reference.Results[i].Mask.Pixels, fast.Results[i].Mask.Pixels);
        }
    }

    [Fact]
    public void Binarize_NoStableInterval_GivesEmptyMaskAndThreshold255()
    {
        var flat = SyntheticAnomalyMaps.Flat(32, 32, 2); // normalised 2.55, below the lowest threshold 3
        var result = MebinFast.Binarize(flat, new MebinRange(0, 200));
        Assert.All(result.Counts, c => Assert.Equal(0, c));
        Assert.Equal(255, result.Threshold);
        Assert.Equal(0, result.EstimatedRegionCount);
        Assert.Equal(0, result.Mask.CountNonZero());
    }
}
