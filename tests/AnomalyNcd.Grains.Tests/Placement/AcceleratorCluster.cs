using AnomalyNcd.Grains.Placement;
using Orleans.TestingHost;

namespace AnomalyNcd.Grains.Tests.Placement;

/// <summary>An in-process cluster whose silo i advertises <c>accelerators[i]</c>.</summary>
internal sealed class AcceleratorCluster : IAsyncDisposable
{
    private readonly string[] _accelerators;

    private AcceleratorCluster(InProcessTestCluster cluster, string[] accelerators)
    {
        Cluster = cluster;
        _accelerators = accelerators;
    }

    public InProcessTestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.Client;

    public static async Task<AcceleratorCluster> StartAsync(bool allowCpuFallback, params string[] accelerators)
    {
        var builder = new InProcessTestClusterBuilder((short)accelerators.Length);
        builder.ConfigureSilo((options, silo) => silo.AddAcceleratorPlacement(new AcceleratorPlacementOptions
        {
            Accelerator = accelerators[IndexOf(options.SiloName)],
            AllowCpuFallback = allowCpuFallback,
        }));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new AcceleratorCluster(cluster, accelerators);
    }

    /// <summary>What the silo at <paramref name="address"/> was configured to advertise.</summary>
    public string AcceleratorOf(SiloAddress address)
    {
        var silo = Cluster.Silos.Single(s => s.SiloAddress.Equals(address));
        return _accelerators[IndexOf(silo.Name)];
    }

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();

    // The in-process testing host names its silos "Silo_0", "Silo_1", ...
    private static int IndexOf(string siloName) =>
        siloName.StartsWith("Silo_", StringComparison.Ordinal) ? int.Parse(siloName["Silo_".Length..])
        : throw new InvalidOperationException($"unexpected test silo name '{siloName}'");
}
