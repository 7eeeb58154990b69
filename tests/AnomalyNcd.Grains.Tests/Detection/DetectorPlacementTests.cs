using AnomalyNcd.Contracts.Detection;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Features;
using AnomalyNcd.Core.Maps;
using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Grains.Detection;
using AnomalyNcd.Grains.Placement;
using AnomalyNcd.Grains.Tests.Support;
using AnomalyNcd.Grains.Tests.Training;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.TestingHost;

namespace AnomalyNcd.Grains.Tests.Detection;

/// <summary>
/// A line's detector on an in-process cluster of CPU and CUDA silos (CPU fallback off) with the real line and detector
/// grains: the fit runs on an accelerator silo, registers a version, and the promoted detector scores an image.
/// </summary>
public sealed class DetectorPlacementTests : IAsyncDisposable
{
    private readonly TempFolder folder = TestData.NewTempFolder();
    private InProcessTestCluster? cluster;
    private IArtefactStore store = null!;

    [Fact]
    public async Task Fit_RunsOnTheAcceleratorSilo_RegistersAVersion_PromotedDetectorScoresAnImage()
    {
        var grains = await StartAsync(AcceleratorKinds.Cpu, AcceleratorKinds.Cuda);
        var registry = await AddNormalImagesAsync(grains, "det-line", 3);

        await grains.GetGrain<IDetectorFitGrain>("det-line").StartAsync("test");
        var done = await WaitAsync(grains, "det-line");

        Assert.True(done.State == TrainingState.Completed, done.Message);
        var cudaSilo = cluster!.Silos.Single(s => s.Name == "Silo_1").SiloAddress.ToString();
        Assert.Equal(cudaSilo, done.SiloAddress);
        var promoted = await registry.PromoteAsync(done.DetectorVersion!, "test");
        var decisions = await grains.GetGrain<IProductLineGrain>("det-line").GetDecisionsAsync(0, 5);
        Assert.Contains(decisions, d => d.Action == LineDetectorGrain.PromoteAction && d.After == promoted.Version);

        var raw = await store.PutAsync(SyntheticPicture.ImagePng(variant: 9), "image", "png");
        var scored = await grains.GetGrain<IDetectorScoringGrain>(IDetectorScoringGrain.Key("det-line", promoted.Version)).ScoreAsync(promoted, raw);

        var values = AnomalyMapFile.Read(store.PathOf(scored.Map));
        // Three normal images leave too few held-out ones for the default gate at their 90th percentile: no region gate.
        Assert.Null(scored.RegionGateLevel);
        Assert.Equal((SyntheticPicture.Size, SyntheticPicture.Size), (values.Width, values.Height));
    }

    [Fact]
    public async Task FittingSiloKilled_FitStartsAgainOnTheOtherAcceleratorSilo_OneVersionRegistered()
    {
        var grains = await StartAsync(AcceleratorKinds.Cpu, AcceleratorKinds.Cuda, AcceleratorKinds.Cuda);
        var registry = await AddNormalImagesAsync(grains, "kill-line", 16);
        var started = await grains.GetGrain<IDetectorFitGrain>("kill-line").StartAsync("test");

        await cluster!.KillSiloAsync(cluster.Silos.Single(s => s.SiloAddress.ToString() == started.SiloAddress));
        var done = await WaitAsync(grains, "kill-line");

        Assert.True(done.State == TrainingState.Completed, done.Message);
        Assert.NotEqual(started.SiloAddress, done.SiloAddress);
        Assert.Single((await registry.ListAsync()).Versions);
    }

    public async ValueTask DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }

        folder.Dispose();
    }

    /// <summary>Silo i advertises <paramref name="accelerators"/>[i]; a killed silo is declared dead within seconds.</summary>
    private async Task<IClusterClient> StartAsync(params string[] accelerators)
    {
        var options = new GrainsOptions { DataFolder = folder.Path };
        store = new FileArtefactStore(options.ArtefactFolder);
        // One storage for all silos in this process: a killed silo must not take the line's state with it.
        var storage = new SharedMemoryGrainStorage();
        var builder = new InProcessTestClusterBuilder((short)accelerators.Length);
        builder.ConfigureSilo((siloOptions, silo) =>
        {
            silo.Services.AddGrainStorage("state", (_, _) => storage);
            silo.UseInMemoryReminderService();
            silo.AddAnomalyNcdGrains(options);
            silo.AddAcceleratorPlacement(new AcceleratorPlacementOptions { Accelerator = accelerators[int.Parse(siloOptions.SiloName["Silo_".Length..])], AllowCpuFallback = false });
            silo.Services.Configure<DetectorGrainOptions>(o => o.Fit = new PatchCoreOptions(CoresetFraction: 0.25, Precision: BackbonePrecision.Fp32));
            silo.Configure<ClusterMembershipOptions>(o => (o.ProbeTimeout, o.NumMissedProbesLimit, o.NumVotesForDeathDeclaration) = (TimeSpan.FromSeconds(1), 2, 1));
        });
        cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster.Client;
    }

    private async Task<ILineDetectorGrain> AddNormalImagesAsync(IClusterClient grains, string line, int count)
    {
        await grains.GetGrain<IProductLineGrain>(line).CreateAsync(LineSettings.Empty);
        var registry = grains.GetGrain<ILineDetectorGrain>(line);
        for (var i = 0; i < count; i++)
        {
            var image = await store.PutAsync(SyntheticPicture.ImagePng(variant: i), "image", "png");
            await registry.AddNormalImageAsync(new NormalImage($"n{i}", image, SyntheticPicture.Size, SyntheticPicture.Size, DateTimeOffset.UtcNow));
        }

        return registry;
    }

    /// <summary>Polls the fit until it is over; calls that fail while a killed silo is being declared dead count as "not yet".</summary>
    private static Task<DetectorJobStatus> WaitAsync(IClusterClient grains, string line) => Eventually.Until(
        () => grains.GetGrain<IDetectorFitGrain>(line).GetStatusAsync().WaitAsync(TimeSpan.FromSeconds(10)),
        s => s.State != TrainingState.Running,
        TimeSpan.FromMinutes(2),
        $"the detector fit of {line}",
        transient: ex => ex is not Xunit.Sdk.XunitException);
}
