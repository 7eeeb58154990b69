using AnomalyNcd.Core.Detection;
using static AnomalyNcd.Core.Tests.Detection.SearchTestData;

namespace AnomalyNcd.Core.Tests.Detection;

public class NearestNeighbourSearchTests
{
    [Fact]
    public void Exact_MatchesBruteForceOnRandomData()
    {
        var random = new Random(7);
        var bank = Gaussian(random, 1500 * 48);
        var queries = Gaussian(random, 300 * 48);
        using var search = NearestNeighbourSearch.Create(bank, 48, NearestNeighbourMode.Exact);

        var distances = search.Distances(queries);

        var expected = BruteForce(bank, queries, 48);
        for (var q = 0; q < expected.Length; q++)
        {
            Assert.Equal(expected[q], distances[q], 1e-3 * expected[q]);
        }
    }

    [Fact]
    public void Shortlist_OnLowRankData_MatchesBruteForce()
    {
        // Bank and queries lie near an 8-d subspace of 96-d space, as patch features lie near a few principal axes.
        var random = new Random(11);
        var mixing = Gaussian(random, 8 * 96);
        var bank = LowRank(random, mixing, 2000, 96);
        var queries = LowRank(random, mixing, 300, 96);
        using var search = NearestNeighbourSearch.Create(bank, 96, NearestNeighbourMode.Shortlist, shortlistSize: 16, reducedDimension: 16);

        var distances = search.Distances(queries);

        Assert.Equal(NearestNeighbourMode.Shortlist, search.Mode);
        var expected = BruteForce(bank, queries, 96);
        for (var q = 0; q < expected.Length; q++)
        {
            Assert.Equal(expected[q], distances[q], 1e-3 * expected[q] + 1e-4);
        }
    }

    [Fact]
    public void Shortlist_OnIsotropicData_IsNeverBelowTheNearestDistanceAndMostlyEqualsIt()
    {
        var random = new Random(5);
        var bank = Gaussian(random, 1000 * 32);
        var queries = Gaussian(random, 250 * 32);
        using var search = NearestNeighbourSearch.Create(bank, 32, NearestNeighbourMode.Shortlist, shortlistSize: 32, reducedDimension: 16);

        var distances = search.Distances(queries);

        var expected = BruteForce(bank, queries, 32);
        var equal = 0;
        for (var q = 0; q < expected.Length; q++)
        {
            Assert.True(distances[q] >= expected[q] * (1 - 1e-4), $"query {q}: {distances[q]} below the true nearest distance {expected[q]}");
            equal += Math.Abs(distances[q] - expected[q]) <= 1e-4 * expected[q] ? 1 : 0;
        }

        Assert.True(equal >= expected.Length / 2, $"only {equal} of {expected.Length} shortlists held the nearest vector");
    }

    [Fact]
    public void Shortlist_AsLongAsTheBank_FallsBackToExact()
    {
        var random = new Random(3);
        using var search = NearestNeighbourSearch.Create(Gaussian(random, 10 * 8), 8, NearestNeighbourMode.Shortlist, shortlistSize: 16, reducedDimension: 4);

        Assert.Equal(NearestNeighbourMode.Exact, search.Mode);
    }

    [Fact]
    public void SquaredDistance_WithALengthThatIsNotAMultipleOfTheLanes_CountsTheTail()
    {
        var a = Enumerable.Range(0, 37).Select(i => (float)i).ToArray();
        var b = Enumerable.Range(0, 37).Select(i => (float)(i + (i % 3))).ToArray();

        var squared = CandidateRefinement.SquaredDistance(a, b);

        Assert.Equal(Enumerable.Range(0, 37).Sum(i => (i % 3) * (i % 3)), squared, 1e-4);
    }

    [Fact]
    public void SelectSmallest_FindsTheSmallestValuesWherever_TheyAre()
    {
        var random = new Random(9);
        var values = Enumerable.Range(0, 500).Select(_ => (float)random.NextDouble()).ToArray();
        var indices = new int[12];

        ShortlistSearch.SelectSmallest(values, indices, new float[12]);

        var expected = values.Select((v, i) => (v, i)).OrderBy(x => x.v).Take(12).Select(x => x.i).Order();
        Assert.Equal(expected, indices.Order());
    }

    [Theory]
    [InlineData(500, 12, false)]
    [InlineData(5967, 16, true)]
    [InlineData(37, 16, true)]
    [InlineData(16, 16, false)]
    public void SelectSmallest_BlockwiseBackwardScan_EqualsSorting(int count, int k, bool nearestLast)
    {
        // nearestLast mimics the coreset order (small values late), the case the backward scan is written for.
        var random = new Random(count + k);
        var values = Enumerable.Range(0, count).Select(i => (float)random.NextDouble() + (nearestLast ? 2f * (count - i) / count : 0f)).ToArray();
        var indices = new int[k];
        var kept = new float[k];

        ShortlistSearch.SelectSmallest(values, indices, kept);

        var expected = values.Select((v, i) => (v, i)).OrderBy(x => x.v).Take(k).Select(x => x.i).Order();
        Assert.Equal(expected, indices.Order());
        Assert.Equal(indices.Select(i => values[i]).Order(), kept.Order());
    }
}
