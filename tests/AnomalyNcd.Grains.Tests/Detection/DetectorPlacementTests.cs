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
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace AnomalyNcd.Grains.Tests.Detection;

/// <summary>
/// A line's detector on a two-silo cluster (a CPU silo and a CUDA one, CPU fallback off) with the real line and
/// detector grains: the fit runs on the accelerator silo, registers a version, and the promoted detector scores an image.
/// </summary>
public sealed class DetectorPlacementTests : IAsyncLifetime
{
    private static readonly string[] Accelerators = [AcceleratorKinds.Cpu, AcceleratorKinds.Cuda];

    private readonly TempFolder folder = TestData.NewTempFolder();
    private InProcessTestCluster cluster = null!;
    private IArtefactStore store = null!;

    public async Task InitializeAsync()
    {
        var options = new GrainsOptions { DataFolder = folder.Path };
        store = new FileArtefactStore(options.ArtefactFolder);
        var builder = new InProcessTestClusterBuilder((short)Accelerators.Length);
        builder.ConfigureSilo((siloOptions, silo) =>
        {
            silo.AddMemoryGrainStorage("state");
            silo.UseInMemoryReminderService();
            silo.AddAnomalyNcdGrains(options);
            silo.AddAcceleratorPlacement(new AcceleratorPlacementOptions { Accelerator = Accelerators[int.Parse(siloOptions.SiloName["Silo_".Length..])], AllowCpuFallback = false });
            silo.Services.Configure<DetectorGrainOptions>(o => o.Fit = new PatchCoreOptions(CoresetFraction: 0.25, Precision: BackbonePrecision.Fp32));
        });
        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    [Fact]
    public async Task Fit_RunsOnTheAcceleratorSilo_RegistersAVersion_PromotedDetectorScoresAnImage()
    {
        var grains = cluster.Client;
        await grains.GetGrain<IProductLineGrain>("det-line").CreateAsync(LineSettings.Empty);
        var registry = grains.GetGrain<ILineDetectorGrain>("det-line");
        for (var i = 0; i < 3; i++)
        {
            var image = await store.PutAsync(SyntheticPicture.ImagePng(variant: i), "image", "png");
            await registry.AddNormalImageAsync(new NormalImage($"n{i}", image, SyntheticPicture.Size, SyntheticPicture.Size, DateTimeOffset.UtcNow));
        }

        await grains.GetGrain<IDetectorFitGrain>("det-line").StartAsync("test");
        var done = await Eventually.Until(
            () => grains.GetGrain<IDetectorFitGrain>("det-line").GetStatusAsync(), s => s.State != TrainingState.Running, TimeSpan.FromMinutes(2), "the detector fit");

        Assert.True(done.State == TrainingState.Completed, done.Message);
        var cudaSilo = cluster.Silos.Single(s => s.Name == "Silo_1").SiloAddress.ToString();
        Assert.Equal(cudaSilo, done.SiloAddress);
        var promoted = await registry.PromoteAsync(done.DetectorVersion!, "test");
        var decisions = await grains.GetGrain<IProductLineGrain>("det-line").GetDecisionsAsync(0, 5);
        Assert.Contains(decisions, d => d.Action == LineDetectorGrain.PromoteAction && d.After == promoted.Version);

        var raw = await store.PutAsync(SyntheticPicture.ImagePng(variant: 9), "image", "png");
        var map = await grains.GetGrain<IDetectorScoringGrain>(IDetectorScoringGrain.Key("det-line", promoted.Version)).ScoreAsync(promoted, raw);

        var values = AnomalyMapFile.Read(store.PathOf(map));
        Assert.Equal((SyntheticPicture.Size, SyntheticPicture.Size), (values.Width, values.Height));
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        folder.Dispose();
    }
}
