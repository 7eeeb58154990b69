using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Grains.Inference;
using AnomalyNcd.Grains.Placement;
using Orleans.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace AnomalyNcd.Grains.Tests.Support;

/// <summary>Two in-process silos with memory storage "state" and the grains over one temporary data folder.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly TempFolder folder = TestData.NewTempFolder();

    public ClusterFixture()
    {
        Options = new GrainsOptions { DataFolder = folder.Path };
        Store = new FileArtefactStore(Options.ArtefactFolder);
    }

    public GrainsOptions Options { get; }

    /// <summary>The same folder the silos use, as the API would write uploads into it.</summary>
    public IArtefactStore Store { get; }

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage("state");
            silo.Services.AddSingleton(Options);
            silo.AddAnomalyNcdGrains(Options);
            silo.AddAcceleratorPlacement(new AcceleratorPlacementOptions { Accelerator = "cpu", AllowCpuFallback = true });
            // These tests classify with FakeInferenceGrain; the real one (needs a trained model) is tested under Training/Inference.
            silo.Services.PostConfigure<GrainTypeOptions>(o => o.Classes.Remove(typeof(InferenceGrain)));
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        folder.Dispose();
    }

    /// <summary>A fresh line id per test, so tests sharing the cluster never see each other's data.</summary>
    public static string NewLineId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 64)];
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
