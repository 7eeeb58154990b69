using System.Text.Json;
using AnomalyNcd.Core.Binarization;

namespace AnomalyNcd.Core.Tests.Binarization;

public class StableThresholdSelectorTests
{
    private static readonly MebinRange FullRange = new(0, 255);

    [Fact]
    public void Select_ValueTie_GoesToValueWhoseRunComesFirst()
    {
        // §16 vector 1: runs (2: 4 indices), (1: 6), (3: 6); 1 and 3 tie, 1 was seen first
        int[] counts = [0, 0, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3];
        var choice = StableThresholdSelector.Select(counts, FullRange, MebinOptions.Default);
        Assert.Equal(1, choice.EstimatedRegionCount);
        Assert.Equal(11, choice.ThresholdIndex);
        Assert.Equal(211, choice.NormalizedThreshold);
        Assert.Equal(211, choice.Threshold);
    }

    [Fact]
    public void Select_NoRunOfFour_ReturnsNoAnomaly()
    {
        // §16 vector 2, first part
        int[] counts = [0, 1, 1, 1, 0, 2, 2, 2, 0];
        var choice = StableThresholdSelector.Select(counts, FullRange, MebinOptions.Default);
        Assert.Equal(MebinThreshold.NoAnomaly, choice);
        Assert.Equal(255, choice.Threshold);
        Assert.Equal(0, choice.EstimatedRegionCount);
        Assert.Null(choice.ThresholdIndex);
    }

    [Fact]
    public void Select_EquallyLongRunsOfChosenValue_LatestWins()
    {
        // §16 vector 2, second part
        int[] counts = [1, 1, 1, 1, 1, 0, 2, 2, 2, 2, 0, 1, 1, 1, 1, 1, 0];
        var choice = StableThresholdSelector.Select(counts, FullRange, MebinOptions.Default);
        Assert.Equal(1, choice.EstimatedRegionCount);
        Assert.Equal(15, choice.ThresholdIndex);
        Assert.Equal(195, choice.NormalizedThreshold);
    }

    [Fact]
    public void KeptRuns_ZeroRunsAndShortRuns_AreDropped()
    {
        int[] counts = [0, 0, 0, 0, 0, 4, 4, 4, 5, 5, 5, 5];
        var runs = StableThresholdSelector.KeptRuns(counts, 4);
        Assert.Equal([new StableInterval(5, 8, 11)], runs);
    }

    [Fact]
    public void Select_RawThreshold_UsesSetRangeWithTruncation()
    {
        // run ends at index 3: tn = 243; T = int(243 * 164 / 255 + 37) = int(193.28) = 193
        int[] counts = [1, 1, 1, 1];
        var choice = StableThresholdSelector.Select(counts, new MebinRange(37, 201), MebinOptions.Default);
        Assert.Equal(193, choice.Threshold);
        Assert.Equal(243, choice.NormalizedThreshold);
    }

    [Fact]
    public void Select_GoldenGetThresholdVectors_MatchReference()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(TestData.RequireFile("golden", "mebin", "golden.json")));
        var vectors = golden.RootElement.GetProperty("get_threshold").EnumerateArray().ToList();
        Assert.Equal(50, vectors.Count);

        var failures = new List<string>();
        var checkedResults = 0;
        foreach (var vector in vectors)
        {
            var id = vector.GetProperty("id").GetInt32();
            var counts = vector.GetProperty("sequence").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var options = MebinOptions.Default with { MinIntervalLength = vector.GetProperty("min_interval_len").GetInt32() };
            foreach (var expected in vector.GetProperty("results").EnumerateArray())
            {
                var range = new MebinRange((byte)expected.GetProperty("min_th").GetInt32(), (byte)expected.GetProperty("max_th").GetInt32());
                var choice = StableThresholdSelector.Select(counts, range, options);
                var want = (expected.GetProperty("threshold").GetInt32(), expected.GetProperty("est_anomaly_num").GetInt32());
                if ((choice.Threshold, choice.EstimatedRegionCount) != want)
                {
                    failures.Add($"vector {id} range {range}: got ({choice.Threshold}, {choice.EstimatedRegionCount}), want {want}");
                }

                checkedResults++;
            }
        }

        Assert.True(checkedResults >= 100, $"only {checkedResults} results checked");
        Assert.Empty(failures);
    }
}
