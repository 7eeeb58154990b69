using System.Text.Json;
using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Contracts.Artefacts;

namespace AnomalyNcd.Grains.Tests.Lines;

/// <summary>The class catalogue's decisions on a line's state, without a cluster.</summary>
public sealed class ClassCatalogueTests
{
    private static readonly DateTimeOffset Now = LedgerWorld.Now;

    [Fact]
    public void Confirm_NamesTheClassAndAuditsBeforeAndAfter()
    {
        var world = new LedgerWorld();
        world.Record("a", ("c1", 0.9));

        var change = world.Catalogue.Confirm("c1", "  scratch ", Now);

        Assert.Equal(("confirm", "scratch", ClassStatus.Confirmed), (change.Action, change.Result.Name, change.Result.Status));
        Assert.Equal("Proposed", JsonDocument.Parse(change.Before).RootElement[0].GetProperty("Status").GetString());
        Assert.Equal("scratch", JsonDocument.Parse(change.After).RootElement[0].GetProperty("Name").GetString());
        Assert.Empty(change.Moved);
    }

    [Fact]
    public void Decisions_ThatAreRefused_ChangeNothing()
    {
        var world = new LedgerWorld();
        world.Record("a", ("c1", 0.9), ("c2", 0.8));
        world.Catalogue.Confirm("c1", "scratch", Now);
        var before = JsonSerializer.Serialize(world.Catalogue.List());

        var taken = Assert.Throws<RequestRejectedException>(() => world.Catalogue.Rename("c2", "SCRATCH", Now));
        var tooLong = Assert.Throws<RequestRejectedException>(() => world.Catalogue.Confirm("c2", new string('x', DefectClass.MaxNameLength + 1), Now));
        var unknown = Assert.Throws<RequestRejectedException>(() => world.Catalogue.Reject("c9", Now));
        var self = Assert.Throws<RequestRejectedException>(() => world.Catalogue.Merge("c1", "c1", world.Ledger, Now));
        var foreign = Assert.Throws<RequestRejectedException>(() => world.Catalogue.Split("c2", [new RegionKey("other", "a", 1)], null, world.Ledger, Now));

        Assert.Equal(
            [RejectionKind.Conflict, RejectionKind.Invalid, RejectionKind.NotFound, RejectionKind.Invalid, RejectionKind.Invalid],
            new[] { taken, tooLong, unknown, self, foreign }.Select(e => e.Kind));
        Assert.Contains($"at most {DefectClass.MaxNameLength}", tooLong.Detail);
        Assert.Equal(before, JsonSerializer.Serialize(world.Catalogue.List()));
    }

    [Fact]
    public void AName_StoredBeforeTheLimit_StillLoadsAndItsClassStillTakesDecisions()
    {
        var world = new LedgerWorld();
        world.Record("a", ("c1", 0.9));
        var longName = new string('n', 100); // the grain once allowed 128 characters
        world.State.Classes["c1"].Name = longName;

        var rejected = world.Catalogue.Reject("c1", Now);
        var renamed = world.Catalogue.Rename("c1", "short", Now);

        Assert.Equal(longName, rejected.Result.Name);
        Assert.Contains(longName, renamed.Before);
        Assert.Equal("short", world.Catalogue.List().Single().Name);
    }

    [Fact]
    public void Merge_MovesTheRegionsAndRetiresTheSourceIdAsAnAlias()
    {
        var world = new LedgerWorld();
        world.Record("a", ("c1", 0.9), ("c2", 0.8));
        world.Record("b", ("c1", 0.7));
        world.Record("c", ("c3", 0.6));
        world.Catalogue.Merge("c3", "c1", world.Ledger, Now);

        var change = world.Catalogue.Merge("c1", "c2", world.Ledger, Now);
        world.Record("d", ("c3", 0.95)); // a prediction under a retired id counts for the class it now means

        Assert.Equal(("merge", "c2"), (change.Action, change.Result.ClassId));
        Assert.Equal(4, change.Result.RegionCount);
        Assert.Equal(
            [new RegionKey(LedgerWorld.LineId, "a", 0), new RegionKey(LedgerWorld.LineId, "b", 0), new RegionKey(LedgerWorld.LineId, "c", 0)],
            change.Moved.OrderBy(k => k.ImageId, StringComparer.Ordinal));
        Assert.Equal(2, JsonDocument.Parse(change.Before).RootElement.GetArrayLength());
        var only = Assert.Single(world.Catalogue.List());
        Assert.Equal(("c2", 5, 4), (only.ClassId, only.RegionCount, only.ImageCount));
        Assert.Equal(["c1", "c3"], world.Catalogue.RetiredIds());
        Assert.Equal("c2", world.Catalogue.Resolve("c3")); // older aliases re-pointed, not chained
    }

    [Fact]
    public void Split_MovesOnlyTheNamedRegionsToANewlyMintedClass()
    {
        var world = new LedgerWorld();
        world.Record("a", ("c1", 0.9), ("c1", 0.8));
        world.Record("b", ("c1", 0.7));
        RegionKey[] moving = [new(LedgerWorld.LineId, "a", 1), new(LedgerWorld.LineId, "b", 0)];

        var named = world.Catalogue.Split("c1", moving, "dent", world.Ledger, Now);
        var unnamed = world.Catalogue.Split("c1", [new(LedgerWorld.LineId, "a", 0)], null, world.Ledger, Now);

        Assert.Equal(("split-1", "dent", ClassStatus.Confirmed, 2, 2), (named.Result.ClassId, named.Result.Name, named.Result.Status, named.Result.RegionCount, named.Result.ImageCount));
        Assert.Equal(moving, named.Moved);
        Assert.Equal(("split-2", ClassStatus.Proposed), (unnamed.Result.ClassId, unnamed.Result.Status));
        var source = world.Catalogue.List().Single(c => c.ClassId == "c1");
        Assert.Equal((0, 0), (source.RegionCount, source.ImageCount));
        Assert.Equal(2, JsonDocument.Parse(named.After).RootElement.GetArrayLength());
    }

    [Fact]
    public void AdoptModelClasses_MapsOntoConfirmedClassesAndReplacesStaleProposals()
    {
        var world = new LedgerWorld();
        world.Record("a", ("blob", 0.9));
        world.Catalogue.Confirm("blob", "Blob", Now);
        world.Catalogue.AdoptModelClasses(Model("v1", ("old", null)), Now);

        world.Catalogue.AdoptModelClasses(Model("v2", ("k0", "blob"), ("k1", "stain")), Now);

        var classes = world.Catalogue.List().ToDictionary(c => c.ClassId);
        Assert.Equal(["blob", "k1"], classes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("stain", ClassStatus.Proposed), (classes["k1"].Name, classes["k1"].Status));
        Assert.Equal("blob", world.Catalogue.Resolve("k0"));
    }

    private static ModelVersion Model(string version, params (string ClassId, string? Name)[] classes) => new(
        version,
        LedgerWorld.LineId,
        new ArtefactRef(new string('a', 64), "checkpoint", "bin", 1),
        [.. classes.Select((c, i) => new ModelClass(i, c.ClassId, c.Name, false, 0))],
        0,
        null,
        null,
        null,
        Now,
        null,
        null);
}
