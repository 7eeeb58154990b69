using AnomalyNcd.Grains.Placement;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Core.Discovery;
using AnomalyNcd.Core.Training;
using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Grains.Inference;
using AnomalyNcd.Grains.Training;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.TestingHost;

namespace AnomalyNcd.Grains.Tests.Training;

/// <summary>
/// An in-process test cluster for training and inference grains: shared grain storage "state", in-memory
/// reminders, a temporary artefact store and data folder, the fake line/image grains, tiny discovery settings.
/// </summary>
public sealed class TrainingCluster : IAsyncDisposable
{
    public static readonly DiscoveryOptions TinyDiscovery = new()
    {
        TrainViews = 2,
        GridSize = new TrainingGrainOptions().Discovery.GridSize, // the platform's grid
        Threads = 1,
        Heads = 2,
        Training = new NcdTrainingOptions { BatchSize = 16 },
        Encoder = new(EmbedDim: 32, Heads: 2, Blocks: 1),
    };

    private TrainingCluster(TempFolder temp, FakeLineWorld world, InProcessTestCluster cluster)
    {
        Temp = temp;
        World = world;
        Cluster = cluster;
    }

    public TempFolder Temp { get; }

    public FakeLineWorld World { get; }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public static async Task<TrainingCluster> StartAsync(short silos, TimeSpan epochPause)
    {
        var temp = TestData.NewTempFolder();
        var store = new FileArtefactStore(temp.Combine("artefacts"));
        var world = new FakeLineWorld(store);
        var storage = new SharedMemoryGrainStorage();
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddGrainStorage("state", (_, _) => storage);
            silo.UseInMemoryReminderService();
            silo.AddAcceleratorPlacement(new AcceleratorPlacementOptions { Accelerator = "cpu", AllowCpuFallback = true });
            // Declare a killed silo dead within seconds, so its grains re-activate on the survivor quickly.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
            silo.Services.AddSingleton<IArtefactStore>(store);
            silo.Services.AddSingleton(world);
            silo.Services.Configure<TrainingGrainOptions>(o =>
            {
                o.DataFolder = temp.Combine("data");
                o.Discovery = TinyDiscovery;
                o.EpochPause = epochPause;
            });
            silo.Services.Configure<InferenceGrainOptions>(o => o.DataFolder = temp.Combine("data"));
            // Once the real line and image grains are merged, only the fakes may serve these interfaces here.
            silo.Services.PostConfigure<GrainTypeOptions>(o =>
            {
                foreach (var type in o.Classes.Where(t => t.Assembly == typeof(TrainingGrain).Assembly && (typeof(IProductLineGrain).IsAssignableFrom(t) || typeof(IImageGrain).IsAssignableFrom(t))).ToList())
                {
                    o.Classes.Remove(type);
                }
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new TrainingCluster(temp, world, cluster);
    }

    /// <summary>Polls the job's status (retrying calls that fail while a silo is being declared dead) until <paramref name="done"/> holds.</summary>
    public async Task<List<TrainingStatus>> WaitAsync(string lineId, Func<TrainingStatus, bool> done, TimeSpan timeout)
    {
        var seen = new List<TrainingStatus>();
        await Eventually.Until(
            async () =>
            {
                var status = await Client.GetGrain<ITrainingGrain>(lineId).GetStatusAsync().WaitAsync(TimeSpan.FromSeconds(10));
                seen.Add(status);
                return status;
            },
            done,
            timeout,
            $"training of {lineId}",
            // The grain's silo was just killed: the call fails until membership declares it dead.
            transient: ex => ex is not Xunit.Sdk.XunitException);
        return seen;
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Temp.Dispose();
    }
}
