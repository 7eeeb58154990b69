using AnomalyNcd.Core.Detection;
using static AnomalyNcd.Core.Tests.Detection.SearchTestData;

namespace AnomalyNcd.Core.Tests.Detection;

/// <summary>Each fast search against <see cref="ExactSearch"/>, the reference, on the same bank and queries.</summary>
public class SearchOracleTests
{
    public static TheoryData<NearestNeighbourMode> FastModes =>
        BlockedShortlistRanker.IsSupported ? [NearestNeighbourMode.Shortlist, NearestNeighbourMode.BlockedShortlist] : [NearestNeighbourMode.Shortlist];

    [Theory]
    [MemberData(nameof(FastModes))]
    public void FastSearch_OnLowRankData_EqualsTheExactSearch(NearestNeighbourMode mode)
    {
        // Patch features lie near a few principal axes: there the shortlist always holds the nearest vector.
        var random = new Random(31);
        var mixing = Gaussian(random, 8 * 128);
        var bank = LowRank(random, mixing, 2500, 128);
        var queries = LowRank(random, mixing, 333, 128);
        using var exact = new ExactSearch(bank, 128);
        using var fast = NearestNeighbourSearch.Create(bank, 128, mode, 16, 31);

        var expected = exact.Distances(queries);
        var distances = fast.Distances(queries);

        Assert.Equal(mode, fast.Mode);
        Assert.Equal(expected.Length, distances.Length);
        for (var q = 0; q < expected.Length; q++)
        {
            Assert.Equal(expected[q], distances[q], 1e-3f * expected[q] + 1e-4f);
        }
    }

    [Theory]
    [MemberData(nameof(FastModes))]
    public void FastSearch_OnIsotropicData_IsNeverBelowTheExactSearch(NearestNeighbourMode mode)
    {
        // Each answer is a true distance to some bank vector, so it can only miss upwards.
        var random = new Random(13);
        var bank = Gaussian(random, 900 * 48);
        var queries = Gaussian(random, 200 * 48);
        using var exact = new ExactSearch(bank, 48);
        using var fast = NearestNeighbourSearch.Create(bank, 48, mode, 16, 15);

        var expected = exact.Distances(queries);
        var distances = fast.Distances(queries);

        for (var q = 0; q < expected.Length; q++)
        {
            Assert.True(distances[q] >= expected[q] * (1 - 1e-4f), $"query {q}: {distances[q]} below the exact {expected[q]}");
        }
    }

    [Theory]
    [InlineData(NearestNeighbourMode.Exact, typeof(ExactSearch))]
    [InlineData(NearestNeighbourMode.Shortlist, typeof(ShortlistSearch))]
    public void Create_GivesTheSearchOfTheMode(NearestNeighbourMode mode, Type expected)
    {
        var random = new Random(2);
        using var search = NearestNeighbourSearch.Create(Gaussian(random, 200 * 32), 32, mode, 16, 15);

        Assert.IsType(expected, search);
        Assert.Equal(mode, search.Mode);
        Assert.Equal(200, search.Count);
        Assert.Equal(32, search.Dimension);
    }

    [Fact]
    public void Create_BlockedWithAndWithoutTheKernel_GivesTheBlockedOrTheProductShortlist()
    {
        var random = new Random(6);
        var bank = Gaussian(random, 200 * 32);
        using var fallback = NearestNeighbourSearch.Create(bank, 32, NearestNeighbourMode.BlockedShortlist, 16, 15, blockedKernelAvailable: false);
        using var blocked = NearestNeighbourSearch.Create(bank, 32, NearestNeighbourMode.BlockedShortlist, 16, 15);

        Assert.IsType<ShortlistSearch>(fallback);
        Assert.IsType(BlockedShortlistRanker.IsSupported ? typeof(BlockedShortlistSearch) : typeof(ShortlistSearch), blocked);
    }

    [Fact]
    public void Create_ReducingToTheFullDimension_FallsBackToExact()
    {
        var random = new Random(8);
        using var search = NearestNeighbourSearch.Create(Gaussian(random, 100 * 16), 16, NearestNeighbourMode.BlockedShortlist, 8, 16);

        Assert.IsType<ExactSearch>(search);
    }

    [Fact]
    public void Create_WithAnEmptyBank_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbourSearch.Create(new float[3], 4));
    }

    [Fact]
    public void LeaveOneOut_WithoutOwnRows_IsTheExactSearch()
    {
        // An image index that owns no bank row leaves nothing out: the same values as the exact search, bit for bit.
        var random = new Random(17);
        var bank = Gaussian(random, 600 * 24);
        var queries = Gaussian(random, 50 * 24);
        var origins = Enumerable.Range(0, 600).Select(i => i % 5).ToArray();
        using var scorer = new LeaveOneOutScorer(bank, 24, origins);
        using var exact = new ExactSearch(bank, 24);

        Assert.Equal(exact.Distances(queries), scorer.Distances(queries, image: 9));
    }

    [Fact]
    public void LeaveOneOut_EqualsTheExactSearchOverTheOtherImagesRows()
    {
        var random = new Random(19);
        var bank = Gaussian(random, 600 * 24);
        var queries = Gaussian(random, 50 * 24);
        var origins = Enumerable.Range(0, 600).Select(i => i % 5).ToArray();
        var others = Enumerable.Range(0, 600).Where(i => origins[i] != 2).SelectMany(i => bank.Skip(i * 24).Take(24)).ToArray();
        using var scorer = new LeaveOneOutScorer(bank, 24, origins);
        using var exact = new ExactSearch(others, 24);

        var distances = scorer.Distances(queries, image: 2);

        var expected = exact.Distances(queries);
        var brute = BruteForce(others, queries, 24);
        for (var q = 0; q < expected.Length; q++)
        {
            Assert.Equal(expected[q], distances[q], 1e-4f * expected[q] + 1e-5f);
            Assert.Equal(brute[q], distances[q], 1e-3 * brute[q] + 1e-4);
        }
    }

    [Fact]
    public void ExactSearch_OverSeveralBlocks_MatchesBruteForce()
    {
        // More rows than one 8192-row block: the minimum is taken across blocks.
        var random = new Random(23);
        var bank = Gaussian(random, 9000 * 8);
        var queries = Gaussian(random, 40 * 8);
        using var exact = new ExactSearch(bank, 8);

        var distances = exact.Distances(queries);

        var expected = BruteForce(bank, queries, 8);
        for (var q = 0; q < expected.Length; q++)
        {
            Assert.Equal(expected[q], distances[q], 1e-3 * expected[q] + 1e-4);
        }
    }
}
