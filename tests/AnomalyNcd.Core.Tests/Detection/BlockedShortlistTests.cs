using AnomalyNcd.Core.Detection;

namespace AnomalyNcd.Core.Tests.Detection;

public class BlockedShortlistTests(SyntheticDetectorFixture fixture) : IClassFixture<SyntheticDetectorFixture>
{
    [Theory]
    [InlineData(2000, 96, 301, 16, 15)] // several bank blocks, queries not a multiple of the query block
    [InlineData(1500, 384, 90, 16, 63)] // the detector's own sizes
    [InlineData(37, 64, 17, 16, 15)]    // bank just over one block of 32: padded lanes must never be chosen
    [InlineData(20, 48, 9, 16, 15)]     // bank smaller than one block
    public void BlockedShortlist_OnLowRankData_MatchesBruteForceAndTheMatrixProductShortlist(int bankRows, int dimension, int queryRows, int shortlist, int reduced)
    {
        var random = new Random(bankRows + dimension);
        var mixing = SearchTestData.Gaussian(random, 8 * dimension);
        var bank = SearchTestData.LowRank(random, mixing, bankRows, dimension);
        var queries = SearchTestData.LowRank(random, mixing, queryRows, dimension);
        using var blocked = NearestNeighbourSearch.Create(bank, dimension, NearestNeighbourMode.BlockedShortlist, shortlist, reduced);
        using var product = NearestNeighbourSearch.Create(bank, dimension, NearestNeighbourMode.Shortlist, shortlist, reduced);

        var distances = blocked.Distances(queries);
        var productDistances = product.Distances(queries);

        Assert.Equal(BlockedShortlistRanker.IsSupported ? NearestNeighbourMode.BlockedShortlist : NearestNeighbourMode.Shortlist, blocked.Mode);
        var expected = SearchTestData.BruteForce(bank, queries, dimension);
        for (var q = 0; q < expected.Length; q++)
        {
            Assert.Equal(expected[q], distances[q], 1e-3 * expected[q] + 1e-4);
            Assert.Equal(productDistances[q], distances[q], 1e-5 * productDistances[q] + 1e-6);
        }
    }

    [Fact]
    public void BlockedShortlist_WithDuplicatedBankRows_FindsTheExactRowsAtDistanceZero()
    {
        // Every row three times (ties everywhere), queries are bank rows: each nearest distance is 0.
        var random = new Random(21);
        var mixing = SearchTestData.Gaussian(random, 8 * 64);
        var distinct = SearchTestData.LowRank(random, mixing, 300, 64);
        var bank = distinct.Concat(distinct).Concat(distinct).ToArray();
        var queries = distinct.Take(50 * 64).ToArray();
        using var search = NearestNeighbourSearch.Create(bank, 64, NearestNeighbourMode.BlockedShortlist, 16, 15);

        var distances = search.Distances(queries);

        Assert.All(distances, d => Assert.Equal(0f, d, 1e-3f));
    }

    [Fact]
    public void BlockedShortlist_SplitOverThreads_GivesTheSameDistancesAsOneThread()
    {
        var random = new Random(4);
        var mixing = SearchTestData.Gaussian(random, 8 * 96);
        var bank = SearchTestData.LowRank(random, mixing, 1000, 96);
        var queries = SearchTestData.LowRank(random, mixing, 784, 96);
        using var search = NearestNeighbourSearch.Create(bank, 96, NearestNeighbourMode.BlockedShortlist, 16, 15);

        Assert.Equal(search.Distances(queries, threads: 1), search.Distances(queries, threads: 2));
    }

    [Fact]
    public void BlockedShortlist_AsLongAsTheBank_FallsBackToExact()
    {
        var random = new Random(3);
        using var search = NearestNeighbourSearch.Create(SearchTestData.Gaussian(random, 10 * 64), 64, NearestNeighbourMode.BlockedShortlist, shortlistSize: 16, reducedDimension: 15);

        Assert.Equal(NearestNeighbourMode.Exact, search.Mode);
    }

    [Theory]
    [InlineData(96, 16, 1)]
    [InlineData(64, 16, 2)]
    [InlineData(17, 16, 3)]
    [InlineData(40, 1, 4)]
    public void SelectSmallestInPlace_PutsTheKSmallestFirst_WithTheirIndices(int count, int k, int seed)
    {
        // Values from a small set, so many ties.
        var random = new Random(seed);
        var values = Enumerable.Range(0, count).Select(_ => (float)random.Next(20)).ToArray();
        var original = values.ToArray();
        var indices = Enumerable.Range(0, count).ToArray();

        BlockedShortlistRanker.SelectSmallestInPlace(values, indices, k);

        Assert.Equal(original.Order().Take(k), values.Take(k).Order());
        Assert.Equal(count, indices.Distinct().Count());
        Assert.All(Enumerable.Range(0, count), i => Assert.Equal(original[indices[i]], values[i]));
    }

    [Fact]
    public void Load_DetectorSavedBeforeTheBlockedSearch_ScoresWithItAsWithTheMatrixProductShortlist()
    {
        // Nothing new is stored: a saved folder (format version 1) loads with the blocked search as default.
        var folder = fixture.Folder("blocked-default");
        fixture.Detector.Save(folder);
        using var loaded = PatchCoreDetector.Load(folder);
        using var previous = PatchCoreDetector.Load(folder, null, NearestNeighbourMode.Shortlist);
        var images = fixture.Manifest.Rows.Where(r => r.Split == "test").Take(4).Select(r => fixture.Manifest.Resolve(r.Image)).ToList();

        var maps = loaded.Score(images, fixture.Extractor);
        var previousMaps = previous.Score(images, fixture.Extractor);

        Assert.Equal(1, loaded.Metadata.FormatVersion);
        Assert.Equal(BlockedShortlistRanker.IsSupported ? NearestNeighbourMode.BlockedShortlist : NearestNeighbourMode.Shortlist, loaded.SearchMode);
        for (var i = 0; i < images.Count; i++)
        {
            Assert.Equal(previousMaps[i].Score, maps[i].Score, 1e-5f * previousMaps[i].Score);
        }
    }

    [Theory]
    [InlineData(1500, 384, 90, 63)] // the detector's sizes: 63 axes padded to 64 columns
    [InlineData(300, 96, 13, 15)]   // query count not a multiple of the group of 4, one 16-lane chunk
    [InlineData(300, 48, 5, 20)]    // axes spanning two chunks, the second mostly padding
    public void ReduceQueries_MatchesTheTensorReduction(int bankRows, int dimension, int queryRows, int reduced)
    {
        var random = new Random(bankRows + reduced);
        var mixing = SearchTestData.Gaussian(random, 8 * dimension);
        var bank = SearchTestData.LowRank(random, mixing, bankRows, dimension);
        var queries = SearchTestData.LowRank(random, mixing, queryRows, dimension);
        using var search = NearestNeighbourSearch.Create(bank, dimension, NearestNeighbourMode.BlockedShortlist, 16, reduced);
        if (!BlockedShortlistRanker.IsSupported)
        {
            // The managed reduction is AVX-512 code used only by the blocked search, which this machine falls back from.
            Assert.Equal(NearestNeighbourMode.Shortlist, search.Mode);
            return;
        }

        var width = reduced + 1;
        var managed = new float[queryRows * width];
        var blocked = Assert.IsType<BlockedShortlistSearch>(search);
        blocked.ReduceQueries(queries, queryRows, managed);
        var expected = blocked.ReduceWithTensors(queries);

        Assert.Equal(expected.Length, managed.Length);
        for (var q = 0; q < queryRows; q++)
        {
            var scale = Math.Sqrt(expected.Skip(q * width).Take(width).Sum(v => (double)v * v));
            for (var i = 0; i < width; i++)
            {
                // The residual is a difference of two near-equal squares, so it gets an absolute tolerance of the row's length.
                Assert.Equal(expected[q * width + i], managed[q * width + i], 2e-3 * scale + 1e-4);
            }
        }
    }

    [Fact]
    public void BlockedShortlist_WithTheKernelForcedOff_UsesTheMatrixProductShortlistAndStillMatchesBruteForce()
    {
        // The path of machines without AVX-512 (the CI machine may lack it).
        var random = new Random(77);
        var mixing = SearchTestData.Gaussian(random, 8 * 96);
        var bank = SearchTestData.LowRank(random, mixing, 1200, 96);
        var queries = SearchTestData.LowRank(random, mixing, 100, 96);
        using var fallback = NearestNeighbourSearch.Create(bank, 96, NearestNeighbourMode.BlockedShortlist, 16, 15, blockedKernelAvailable: false);
        using var blocked = NearestNeighbourSearch.Create(bank, 96, NearestNeighbourMode.BlockedShortlist, 16, 15);

        var distances = fallback.Distances(queries);
        var blockedDistances = blocked.Distances(queries);

        Assert.Equal(NearestNeighbourMode.Shortlist, fallback.Mode);
        var expected = SearchTestData.BruteForce(bank, queries, 96);
        for (var q = 0; q < expected.Length; q++)
        {
            Assert.Equal(expected[q], distances[q], 1e-3 * expected[q] + 1e-4);
            Assert.Equal(distances[q], blockedDistances[q], 1e-5 * distances[q] + 1e-6);
        }
    }
}
