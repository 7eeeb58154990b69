using System.IO.Compression;
using System.Text.Json;
using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Core.Discovery;
using AnomalyNcd.Core.Training;

namespace AnomalyNcd.Grains.Tests.Training;

// One cluster test at a time: they share two cores, and the inference timing must not compete with training.
[Collection("training-cluster")]
public class TrainingGrainTests : IAsyncLifetime
{
    private TrainingCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await TrainingCluster.StartAsync(1, TimeSpan.FromMilliseconds(200));

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task Start_TinyLine_RunsToCompletedWithRisingProgressAndRegistersAModel()
    {
        await cluster.World.AddLineAsync("line-a", imagesPerKind: 8, confirmedScratches: 2);
        var training = cluster.Client.GetGrain<ITrainingGrain>("line-a");

        var started = await training.StartAsync(new TrainingRequest(ClassCount: 2, Epochs: 4, Seed: 3, RequestedBy: "test"));
        var seen = await cluster.WaitAsync("line-a", s => s.State != TrainingState.Running, TimeSpan.FromSeconds(90));

        Assert.Equal(TrainingState.Running, started.State);
        var final = seen[^1];
        Assert.True(final.State == TrainingState.Completed, final.Message);
        Assert.Equal(4, final.Epoch);
        Assert.Equal(1.0, final.Progress);
        Assert.Equal(4, final.LossHistory.Length);
        var progress = seen.Select(s => s.Progress).ToList();
        Assert.Equal(progress.Order(), progress);
        Assert.Contains(progress, p => p > 0 && p < 1);

        var model = Assert.Single(cluster.World.Models["line-a"]);
        Assert.Equal(final.ModelVersion, model.Version);
        Assert.True(cluster.World.Store.Exists(model.Checkpoint));
        // One confirmed base class keeps its id; two novel classes are "c0", "c1".
        Assert.Equal(["cat-1", "c0", "c1"], model.Classes.OrderBy(c => c.HeadIndex).Select(c => c.ClassId));
        Assert.True(model.Classes[0].IsBase);
        Assert.Equal("scratch", model.Classes[0].Name);
        Assert.Equal(16, model.RegionCount);
        Assert.Equal(16, model.Classes.Sum(c => c.RegionCount));
        Assert.NotNull(model.Nmi);
    }

    [Theory]
    [InlineData(null, 0.0)]
    [InlineData("v1", TokenContrastDefaults.DetectorMaps)]
    public async Task Start_TheRegionsMapSource_DecidesTheModelsTokenContrast(string? detectorVersion, double expected)
    {
        var lineId = detectorVersion is null ? "line-given-maps" : "line-detector-maps";
        await cluster.World.AddLineAsync(lineId, imagesPerKind: 6, detectorVersion: detectorVersion);
        var training = cluster.Client.GetGrain<ITrainingGrain>(lineId);

        await training.StartAsync(new TrainingRequest(ClassCount: 2, Epochs: 2, Seed: 3, RequestedBy: "test"));
        var final = (await cluster.WaitAsync(lineId, s => s.State != TrainingState.Running, TimeSpan.FromSeconds(90)))[^1];

        Assert.True(final.State == TrainingState.Completed, final.Message);
        var model = Assert.Single(cluster.World.Models[lineId]);
        using var zip = ZipFile.OpenRead(cluster.World.Store.PathOf(model.Checkpoint));
        using var json = JsonDocument.Parse(zip.GetEntry(TrainingCheckpoint.MetadataFile)!.Open());
        Assert.Equal(expected, json.RootElement.GetProperty("tokenContrast").GetDouble());
    }

    [Fact]
    public async Task Start_LineWithMergedAwayClassIds_NovelClassesSkipTheRetiredIds()
    {
        await cluster.World.AddLineAsync("line-retired", imagesPerKind: 6, confirmedScratches: 2, seed: 4);
        // "c0" was merged into another class: the line resolves it to the merge target, so a novel class may not reuse it.
        cluster.World.RetiredClassIds["line-retired"] = ["c0", "c2"];

        await cluster.Client.GetGrain<ITrainingGrain>("line-retired").StartAsync(new TrainingRequest(ClassCount: 2, Epochs: 1, Seed: 3, RequestedBy: "test"));
        var final = (await cluster.WaitAsync("line-retired", s => s.State != TrainingState.Running, TimeSpan.FromSeconds(90)))[^1];

        Assert.True(final.State == TrainingState.Completed, final.Message);
        var model = Assert.Single(cluster.World.Models["line-retired"]);
        Assert.Equal(["cat-1", "c1", "c3"], model.Classes.OrderBy(c => c.HeadIndex).Select(c => c.ClassId));
    }

    [Fact]
    public async Task Cancel_RunningJob_StopsItAsCancelledAndRefusesNothingAfterwards()
    {
        // Its own cluster, whose job holds in an hour-long pause after each epoch: no epoch can end after the cancel,
        // so the status read right after it is final without sleeping, and only the cancel lets the job stop.
        await using var held = await TrainingCluster.StartAsync(1, TimeSpan.FromHours(1));
        await held.World.AddLineAsync("line-b", imagesPerKind: 6, seed: 2);
        var training = held.Client.GetGrain<ITrainingGrain>("line-b");
        await training.StartAsync(new TrainingRequest(2, Epochs: 50, Seed: 1, RequestedBy: "test"));
        await held.WaitAsync("line-b", s => s.Epoch >= 1, TimeSpan.FromSeconds(60));

        var second = await Assert.ThrowsAsync<RequestRejectedException>(() => training.StartAsync(new TrainingRequest(2, 5, 1, "test")));
        var cancelled = await training.CancelAsync();
        var later = await training.GetStatusAsync();

        Assert.Equal(RejectionKind.NotReady, second.Kind);
        Assert.Equal(TrainingState.Cancelled, cancelled.State);
        Assert.Equal(TrainingState.Cancelled, later.State);
        Assert.InRange(later.Epoch, 1, cancelled.Epoch + 1);
        Assert.Empty(held.World.Models["line-b"]);
    }

    [Fact]
    public async Task Start_UnknownLine_IsRejectedAsNotFound()
    {
        var error = await Assert.ThrowsAsync<RequestRejectedException>(() => cluster.Client.GetGrain<ITrainingGrain>("no-such-line").StartAsync(new TrainingRequest(2, 2, 1, "test")));

        Assert.Equal(RejectionKind.NotFound, error.Kind);
    }
}
