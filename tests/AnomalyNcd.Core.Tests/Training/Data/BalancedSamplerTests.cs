using AnomalyNcd.Core.Training.Data;

namespace AnomalyNcd.Core.Tests.Training.Data;

public class BalancedSamplerTests
{
    private static readonly int[] Labelled = Enumerable.Range(0, 10).ToArray();
    private static readonly int[] Unlabelled = Enumerable.Range(10, 90).ToArray();

    [Fact]
    public void NextEpoch_DrawsLabelledPlusUnlabelledCountInBatches()
    {
        var sampler = new BalancedSampler(Labelled, Unlabelled, 32, seed: 3);

        var batches = sampler.NextEpoch();

        Assert.Equal(100, sampler.DrawsPerEpoch);
        Assert.Equal(4, sampler.BatchesPerEpoch);
        Assert.Equal([32, 32, 32, 4], batches.Select(b => b.Indices.Count));
    }

    [Fact]
    public void DrawEpoch_PicksEachPartHalfTheTimeAndUniformlyInside()
    {
        var sampler = new BalancedSampler(Labelled, Unlabelled, 32, seed: 11);
        var counts = new int[100];
        const int epochs = 400;
        for (var e = 0; e < epochs; e++)
        {
            foreach (var index in sampler.DrawEpoch())
            {
                counts[index]++;
            }
        }

        var total = epochs * 100.0;
        var labelledShare = counts.Take(10).Sum() / total;
        Assert.InRange(labelledShare, 0.48, 0.52);

        // Expected 2000 per labelled index (sd ≈ 43) and ≈ 222 per unlabelled index (sd ≈ 15).
        Assert.All(counts.Take(10), c => Assert.InRange(c, 1800, 2200));
        Assert.All(counts.Skip(10), c => Assert.InRange(c, 150, 300));
    }

    [Fact]
    public void DrawEpoch_SameSeedSameDraws_OtherSeedOtherDraws()
    {
        var first = new BalancedSampler(Labelled, Unlabelled, 32, seed: 5);
        var second = new BalancedSampler(Labelled, Unlabelled, 32, seed: 5);
        var other = new BalancedSampler(Labelled, Unlabelled, 32, seed: 6);

        var a = first.DrawEpoch().Concat(first.DrawEpoch()).ToArray();
        var b = second.DrawEpoch().Concat(second.DrawEpoch()).ToArray();
        var c = other.DrawEpoch().Concat(other.DrawEpoch()).ToArray();

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void NextEpoch_WithoutLabelledSamples_IsUniformAndFlagsNoBatch()
    {
        var sampler = new BalancedSampler([], [0, 1, 2, 3, 4], 2, seed: 1);
        var counts = new int[5];
        for (var e = 0; e < 2000; e++)
        {
            var batches = sampler.NextEpoch();
            Assert.Equal([2, 2, 1], batches.Select(b => b.Indices.Count));
            Assert.All(batches, b => Assert.False(b.IsUnmixed));
            foreach (var index in batches.SelectMany(b => b.Indices))
            {
                counts[index]++;
            }
        }

        // 10000 draws, 2000 expected each (sd ≈ 40).
        Assert.All(counts, c => Assert.InRange(c, 1800, 2200));
    }

    [Fact]
    public void NextEpoch_FlagsBatchesWithOnlyOneKind()
    {
        var single = new BalancedSampler([0], [1], 1, seed: 2);
        Assert.All(single.NextEpoch(), b => Assert.True(b.IsUnmixed));

        var mixedFound = false;
        var sampler = new BalancedSampler(Labelled, Unlabelled, 4, seed: 2);
        foreach (var batch in sampler.NextEpoch())
        {
            var labelled = batch.Indices.Count(i => i < 10);
            Assert.Equal(labelled == 0 || labelled == batch.Indices.Count, batch.IsUnmixed);
            mixedFound |= !batch.IsUnmixed;
        }

        Assert.True(mixedFound);
    }

    [Fact]
    public void Constructor_WithoutUnlabelledSamples_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new BalancedSampler([0, 1], [], 32, seed: 1));
    }
}
