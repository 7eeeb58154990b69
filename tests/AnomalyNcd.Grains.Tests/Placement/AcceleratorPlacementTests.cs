using AnomalyNcd.Grains.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Grains.Tests.Placement;

public sealed class AcceleratorPlacementTests
{
    private const int Keys = 20;

    [Fact]
    public async Task AcceleratorGrains_ActivateOnlyOnTheCudaSilo()
    {
        await using var cluster = await AcceleratorCluster.StartAsync(false, AcceleratorKinds.Cpu, AcceleratorKinds.Cuda, AcceleratorKinds.Cpu);

        var silos = await ActivateAsync<IAcceleratorProbeGrain>(cluster, Keys);

        Assert.All(silos, silo => Assert.Equal(AcceleratorKinds.Cuda, cluster.AcceleratorOf(silo)));
    }

    [Fact]
    public async Task GrainsWithoutTheAttribute_SpreadOverCpuSilosToo()
    {
        await using var cluster = await AcceleratorCluster.StartAsync(false, AcceleratorKinds.Cpu, AcceleratorKinds.Cuda, AcceleratorKinds.Cpu);

        var silos = await ActivateAsync<IRandomProbeGrain>(cluster, Keys);

        Assert.Contains(silos, silo => cluster.AcceleratorOf(silo) == AcceleratorKinds.Cpu);
        Assert.True(silos.Distinct().Count() >= 2, "random placement should use more than one silo for 20 keys");
    }

    [Fact]
    public async Task NoCudaSiloAndFallbackOff_FailsWithAClearMessage()
    {
        await using var cluster = await AcceleratorCluster.StartAsync(false, AcceleratorKinds.Cpu, AcceleratorKinds.Cpu);

        var error = await Assert.ThrowsAsync<AcceleratorUnavailableException>(() => cluster.Grains.GetGrain<IAcceleratorProbeGrain>(7).GetSilo());

        var message = error.Message;
        Assert.Contains("no silo advertises hardware.accelerator=cuda for grain", message);
        Assert.Contains("acceleratorprobe", message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("start a silo with --accelerator cuda or enable AllowCpuFallback", message);
    }

    [Fact]
    public async Task NoCudaSiloAndFallbackOn_ActivatesOnACpuSilo()
    {
        await using var cluster = await AcceleratorCluster.StartAsync(true, AcceleratorKinds.Cpu, AcceleratorKinds.Cpu);

        var silos = await ActivateAsync<IAcceleratorProbeGrain>(cluster, 4);

        Assert.All(silos, silo => Assert.Equal(AcceleratorKinds.Cpu, cluster.AcceleratorOf(silo)));
    }

    [Fact]
    public async Task CudaSiloPresentAndFallbackOn_StillPrefersTheCudaSilo()
    {
        await using var cluster = await AcceleratorCluster.StartAsync(true, AcceleratorKinds.Cuda, AcceleratorKinds.Cpu);

        var silos = await ActivateAsync<IAcceleratorProbeGrain>(cluster, Keys);

        Assert.All(silos, silo => Assert.Equal(AcceleratorKinds.Cuda, cluster.AcceleratorOf(silo)));
    }

    [Fact]
    public async Task SiloMetadata_IsVisibleToTheOtherSilos()
    {
        await using var cluster = await AcceleratorCluster.StartAsync(false, AcceleratorKinds.Cpu, AcceleratorKinds.Cuda);
        var cpuSilo = cluster.Cluster.Silos.Single(s => cluster.AcceleratorOf(s.SiloAddress) == AcceleratorKinds.Cpu);
        var cudaSilo = cluster.Cluster.Silos.Single(s => cluster.AcceleratorOf(s.SiloAddress) == AcceleratorKinds.Cuda);
        var cacheOnCpuSilo = cpuSilo.ServiceProvider.GetRequiredService<ISiloMetadataCache>();

        var seen = await EventuallyAsync(() => cacheOnCpuSilo.GetSiloMetadata(cudaSilo.SiloAddress).Metadata.GetValueOrDefault(AcceleratorKinds.MetadataKey));

        Assert.Equal(AcceleratorKinds.Cuda, seen);
    }

    [Fact]
    public async Task CudaSiloKilled_ReactivatesOnTheRemainingCudaSilo()
    {
        await using var cluster = await AcceleratorCluster.StartAsync(false, AcceleratorKinds.Cuda, AcceleratorKinds.Cuda, AcceleratorKinds.Cpu);
        var before = await ActivateAsync<IAcceleratorProbeGrain>(cluster, Keys);
        var killed = before[0];

        // The in-process host declares a killed silo dead at once, so the re-activations follow immediately.
        await cluster.Cluster.KillSiloAsync(cluster.Cluster.Silos.Single(s => s.SiloAddress.Equals(killed)));
        var after = await AfterGatewayLossAsync(() => ActivateAsync<IAcceleratorProbeGrain>(cluster, Keys));

        var remainingCuda = cluster.Cluster.Silos.Single(s => cluster.AcceleratorOf(s.SiloAddress) == AcceleratorKinds.Cuda).SiloAddress;
        Assert.All(after, silo => Assert.Equal(remainingCuda, silo));
    }

    private static async Task<List<SiloAddress>> ActivateAsync<TGrain>(AcceleratorCluster cluster, int keys)
        where TGrain : ISiloProbeGrain
    {
        var calls = Enumerable.Range(0, keys).Select(key => cluster.Grains.GetGrain<TGrain>(key).GetSilo());
        return [.. await Task.WhenAll(calls)];
    }

    /// <summary>
    /// The test client may have used the killed silo as its gateway; until it drops that connection a call can
    /// fail with a connection error. Retried for a while: what is asserted is where the grains land afterwards.
    /// </summary>
    private static async Task<T> AfterGatewayLossAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception failure) when (DateTime.UtcNow < deadline && failure is Orleans.Runtime.Messaging.ConnectionFailedException or SiloUnavailableException or TimeoutException)
            {
                await Task.Delay(250);
            }
        }
    }

    private static Task<string?> EventuallyAsync(Func<string?> read) =>
        Eventually.Until(() => Task.FromResult(read()), value => value is not null, TimeSpan.FromSeconds(5), "a value", TimeSpan.FromMilliseconds(50));
}
