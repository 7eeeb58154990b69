using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Grains.Lines;

namespace AnomalyNcd.Grains.Tests.Lines;

/// <summary>The image ledger's counts and representatives, without a cluster.</summary>
public sealed class ImageLedgerTests
{
    [Fact]
    public void Record_AgainReplacesTheImagesContribution()
    {
        var world = new LedgerWorld();

        world.Record("a", ("c1", 0.5), ("c1", 0.9));
        world.Record("b");
        world.Record("a", ("c2", 0.7));

        Assert.Equal((2, 1, 1), (world.Ledger.Count, world.State.AnomalousImageCount, world.State.RegionCount));
        var classes = world.Catalogue.List().ToDictionary(c => c.ClassId);
        Assert.Equal((0, 0), (classes["c1"].RegionCount, classes["c1"].ImageCount));
        Assert.Equal((1, 1), (classes["c2"].RegionCount, classes["c2"].ImageCount));
        Assert.Equal(["a"], world.Ledger.ImagesWithRegions());
        Assert.Equal(["b", "a"], world.Ledger.PageNewestFirst(0, 10));
    }

    [Fact]
    public void Record_AsksForALineWriteOnlyWhenTheCatalogueIsTouchedOrAChunkStarts()
    {
        var world = new LedgerWorld();

        var first = world.Record("a"); // first record of the first chunk
        var plain = world.Record("b");
        var classified = world.Record("c", ("c1", 0.9));

        Assert.Equal((true, false, true), (first, plain, classified));
    }

    [Fact]
    public void Representatives_AreTheMostConfidentRegions_AndRecountRebuildsThem()
    {
        var world = new LedgerWorld();
        world.Record("img", [.. Enumerable.Range(0, 12).Select(i => ((string?)"c1", i / 20.0))]);
        var entry = world.State.Classes["c1"];
        var expected = Enumerable.Range(4, 8).Reverse().Select(i => new RegionKey(LedgerWorld.LineId, "img", i)).ToArray();
        Assert.Equal(expected, entry.Representatives.Select(r => r.Region));

        entry.Representatives.Clear();
        entry.RegionCount = 99;
        world.State.RegionCount = 0;
        var added = world.Ledger.Recount();

        Assert.False(added);
        Assert.Equal(ImageLedger.MaxRepresentatives, entry.Representatives.Count);
        Assert.Equal(expected, entry.Representatives.Select(r => r.Region));
        Assert.Equal((12, 12), (entry.RegionCount, world.State.RegionCount));
    }

    [Fact]
    public void Recount_AddsAClassOnlyAPredictionNamed()
    {
        var world = new LedgerWorld();
        world.Record("a", ("c1", 0.9));
        world.State.Classes.Clear();

        Assert.True(world.Ledger.Recount());
        Assert.Equal(1, world.State.Classes["c1"].RegionCount);
    }
}
