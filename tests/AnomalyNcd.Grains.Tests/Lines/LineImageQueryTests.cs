using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Grains.Lines;
using AnomalyNcd.Grains.Tests.Support;

namespace AnomalyNcd.Grains.Tests.Lines;

/// <summary>The filtered, paged image list over a line's records, without a cluster.</summary>
public sealed class LineImageQueryTests
{
    private static readonly DateTimeOffset Now = LedgerWorld.Now;

    private static LedgerWorld Seeded()
    {
        var world = new LedgerWorld();
        Record(world, "ok", 0);
        Record(world, "spot", 1, ("c1", 0.9));
        Record(world, "scratch", 2, ("c2", 0.4), ("c1", 0.6));
        Record(world, "fresh", 3, (null, 0));
        Record(world, "weak", 4, ("c1", 0.2));
        return world;
    }

    private static void Record(LedgerWorld world, string imageId, int minutes, params (string? ClassId, double Confidence)[] regions) =>
        world.Ledger.Record(LedgerWorld.Result(imageId, regions) with { ProcessedAt = Now.AddMinutes(minutes) }, Now);

    private static string[] Ids(ImageQueryPage page) => [.. page.Items.Select(i => i.ImageId)];

    [Fact]
    public void NoFilter_ListsEveryImageNewestFirstWithItsLabel()
    {
        var page = Seeded().Ledger.Query(ImageFilter.None, 0, 10);

        Assert.Equal(["weak", "fresh", "scratch", "spot", "ok"], Ids(page));
        Assert.Equal(5, page.Total);
        Assert.Equal(new ImageListEntry("scratch", Now.AddMinutes(2), "c1", 0.6, 2), page.Items[2]);
        Assert.Equal(new ImageListEntry("fresh", Now.AddMinutes(3), null, null, 1), page.Items[1]);
    }

    [Fact]
    public void Class_KeepsImagesWithARegionOfIt()
    {
        var page = Seeded().Ledger.Query(new ImageFilter(ClassId: "c2"), 0, 10);

        Assert.Equal(["scratch"], Ids(page));
        Assert.Equal(1, page.Total);
    }

    [Theory]
    [InlineData(ImageFilterStatus.NoAnomaly, "ok")]
    [InlineData(ImageFilterStatus.Anomalous, "weak,fresh,scratch,spot")]
    [InlineData(ImageFilterStatus.Unclassified, "fresh")]
    [InlineData(ImageFilterStatus.Classified, "weak,scratch,spot")]
    public void Status_KeepsTheImagesInThatState(ImageFilterStatus status, string expected)
    {
        var page = Seeded().Ledger.Query(new ImageFilter(Status: status), 0, 10);

        Assert.Equal(expected.Split(','), Ids(page));
    }

    [Fact]
    public void ConfidenceRange_IsInclusiveOnTheClassOrBestRegion_AndLeavesOutUnclassified()
    {
        var world = Seeded();

        var any = world.Ledger.Query(new ImageFilter(MinConfidence: 0.6, MaxConfidence: 0.9), 0, 10);
        var ofC2 = world.Ledger.Query(new ImageFilter(ClassId: "c2", MinConfidence: 0.5), 0, 10);
        var low = world.Ledger.Query(new ImageFilter(MaxConfidence: 0.3), 0, 10);

        Assert.Equal(["scratch", "spot"], Ids(any));
        Assert.Empty(ofC2.Items); // scratch's c2 region is 0.4 even though its c1 region is 0.6
        Assert.Equal(["weak"], Ids(low));
    }

    [Fact]
    public void TimeRange_IncludesFromExcludesTo()
    {
        var page = Seeded().Ledger.Query(new ImageFilter(From: Now.AddMinutes(1), To: Now.AddMinutes(3)), 0, 10);

        Assert.Equal(["scratch", "spot"], Ids(page));
    }

    [Fact]
    public void Paging_SkipsAndTakesWithinTheMatches_AndCountsThemAll()
    {
        var page = Seeded().Ledger.Query(new ImageFilter(Status: ImageFilterStatus.Anomalous), 1, 2);

        Assert.Equal(["fresh", "scratch"], Ids(page));
        Assert.Equal((4, 1), (page.Total, page.Skip));
    }

    [Fact]
    public void ALargeLine_AnswersOnePageAndTheTotal()
    {
        var world = new LedgerWorld();
        for (var i = 0; i < 10_000; i++)
        {
            Record(world, $"i{i}", i, ($"c{i % 4}", (i % 100) / 100.0));
        }

        var page = world.Ledger.Query(new ImageFilter(ClassId: "c1", MinConfidence: 0.5), 0, 24);

        Assert.Equal(24, page.Items.Length);
        Assert.Equal("i9997", page.Items[0].ImageId);
        Assert.Equal(1_200, page.Total); // i ≡ 1 (mod 4) with i mod 100 ≥ 50 (53, 57, …, 97): 12 of each hundred images
    }

    [Theory]
    [InlineData(-1, 10, null, null, "skip")]
    [InlineData(0, PageLimits.MaxTake + 1, null, null, "take")]
    [InlineData(0, 10, -0.1, null, "minConfidence")]
    [InlineData(0, 10, null, 1.5, "maxConfidence")]
    [InlineData(0, 10, 0.8, 0.2, "must not exceed")]
    public void BadPagesAndRanges_AreRejectedNamingTheField(int skip, int take, double? min, double? max, string named)
    {
        var filter = new ImageFilter(MinConfidence: min, MaxConfidence: max);

        var error = Assert.Throws<RequestRejectedException>(() => LineImageQuery.Run([], filter, skip, take));

        Assert.Equal(RejectionKind.Invalid, error.Kind);
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void BadClassStatusOrTimeRange_HaveAProblem()
    {
        Assert.Contains("class", new ImageFilter(ClassId: "no spaces").Problem(0, 1));
        Assert.Contains("status", new ImageFilter(Status: (ImageFilterStatus)9).Problem(0, 1));
        Assert.Contains("before", new ImageFilter(From: Now, To: Now).Problem(0, 1));
        Assert.Null(new ImageFilter("c1", ImageFilterStatus.Classified, 0, 1, Now, Now.AddDays(1)).Problem(0, PageLimits.MaxTake));
    }
}

[Collection(ClusterCollection.Name)]
public sealed class LineImageQueryGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task QueryImages_FiltersOnTheLineGrain_AndRejectsABadFilter()
    {
        var lineId = ClusterFixture.NewLineId("query");
        var line = await LineSetup.CreateAsync(fixture.Client, lineId);
        await line.RecordImagesAsync([
            LedgerWorld.Result("a", ("c1", 0.9)) with { LineId = lineId },
            LedgerWorld.Result("b") with { LineId = lineId },
            LedgerWorld.Result("c", ("c2", 0.7)) with { LineId = lineId },
        ]);

        var page = await line.QueryImagesAsync(new ImageFilter(Status: ImageFilterStatus.Anomalous), 0, 10);
        var error = await Assert.ThrowsAsync<RequestRejectedException>(() => line.QueryImagesAsync(new ImageFilter(MinConfidence: 2), 0, 10));

        Assert.Equal(["c", "a"], page.Items.Select(i => i.ImageId));
        Assert.Equal(2, page.Total);
        Assert.Equal(RejectionKind.Invalid, error.Kind);
    }
}
