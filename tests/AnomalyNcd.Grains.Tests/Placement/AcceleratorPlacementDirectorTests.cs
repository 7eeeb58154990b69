using System.Net;
using AnomalyNcd.Grains.Placement;
using Orleans.Runtime.Placement;

namespace AnomalyNcd.Grains.Tests.Placement;

/// <summary>The director against scripted metadata: the cases a live cluster only shows by timing.</summary>
public sealed class AcceleratorPlacementDirectorTests
{
    private static readonly SiloAddress Local = Silo(1);
    private static readonly SiloAddress CpuSilo = Silo(2);
    private static readonly SiloAddress CudaSilo = Silo(3);
    private static readonly SiloAddress OtherCudaSilo = Silo(4);

    [Fact]
    public async Task MetadataArrivingLate_IsWaitedForInsteadOfFailing()
    {
        var accelerators = new ScriptedAccelerators { [CpuSilo] = AcceleratorKinds.Cpu };
        accelerators.Arrives(CudaSilo, AcceleratorKinds.Cuda, afterReads: 5);
        var director = Director(accelerators, allowCpuFallback: false, wait: TimeSpan.FromSeconds(5));

        var chosen = await director.OnAddActivation(AcceleratorPlacementStrategy.Instance, Target(), new Context(CpuSilo, CudaSilo));

        Assert.Equal(CudaSilo, chosen);
    }

    [Fact]
    public async Task MetadataThatNeverArrives_FailsAfterTheWaitWhenFallbackIsOff()
    {
        var accelerators = new ScriptedAccelerators { [CpuSilo] = AcceleratorKinds.Cpu };
        var director = Director(accelerators, allowCpuFallback: false, wait: TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAsync<AcceleratorUnavailableException>(() =>
            director.OnAddActivation(AcceleratorPlacementStrategy.Instance, Target(), new Context(CpuSilo, CudaSilo)));

        Assert.Contains("for grain trainer/line-7", error.Message);
    }

    [Fact]
    public async Task HintAtACpuSilo_IsIgnored()
    {
        var accelerators = new ScriptedAccelerators { [CpuSilo] = AcceleratorKinds.Cpu, [CudaSilo] = AcceleratorKinds.Cuda };
        var director = Director(accelerators, allowCpuFallback: true, wait: TimeSpan.Zero);

        var chosen = await director.OnAddActivation(AcceleratorPlacementStrategy.Instance, Target(hint: CpuSilo), new Context(CpuSilo, CudaSilo));

        Assert.Equal(CudaSilo, chosen);
    }

    [Fact]
    public async Task HintAtOneOfTwoCudaSilos_IsHonoured()
    {
        var accelerators = new ScriptedAccelerators { [CudaSilo] = AcceleratorKinds.Cuda, [OtherCudaSilo] = AcceleratorKinds.Cuda };
        var director = Director(accelerators, allowCpuFallback: false, wait: TimeSpan.Zero);

        for (var attempt = 0; attempt < 10; attempt++)
        {
            var chosen = await director.OnAddActivation(AcceleratorPlacementStrategy.Instance, Target(hint: OtherCudaSilo), new Context(CudaSilo, OtherCudaSilo));
            Assert.Equal(OtherCudaSilo, chosen);
        }
    }

    [Fact]
    public async Task NoCompatibleSiloAtAll_FailsEvenWithFallback()
    {
        var director = Director(new ScriptedAccelerators(), allowCpuFallback: true, wait: TimeSpan.Zero);

        await Assert.ThrowsAsync<AcceleratorUnavailableException>(() =>
            director.OnAddActivation(AcceleratorPlacementStrategy.Instance, Target(), new Context()));
    }

    private static AcceleratorPlacementDirector Director(ScriptedAccelerators accelerators, bool allowCpuFallback, TimeSpan wait) =>
        new(accelerators, new AcceleratorSiloSettings(AcceleratorKinds.Cpu, allowCpuFallback) { MetadataWait = wait });

    private static SiloAddress Silo(int port) => SiloAddress.New(IPAddress.Loopback, 11110 + port, 1);

    private static PlacementTarget Target(SiloAddress? hint = null)
    {
        var requestContext = hint is null ? [] : new Dictionary<string, object> { [IPlacementDirector.PlacementHintKey] = hint };
        return new PlacementTarget(GrainId.Create("trainer", "line-7"), requestContext, GrainInterfaceType.Create("itrainer"), 0);
    }

    /// <summary>Accelerator per silo; a silo can be scripted to become known only after a number of reads.</summary>
    private sealed class ScriptedAccelerators : ISiloAcceleratorLookup, System.Collections.IEnumerable
    {
        private readonly Dictionary<SiloAddress, string> _accelerators = [];
        private readonly Dictionary<SiloAddress, (string Accelerator, int ReadsLeft)> _late = [];

        public string this[SiloAddress silo] { set => _accelerators[silo] = value; }

        public void Arrives(SiloAddress silo, string accelerator, int afterReads) => _late[silo] = (accelerator, afterReads);

        public string? AcceleratorOf(SiloAddress silo)
        {
            if (_late.TryGetValue(silo, out var late))
            {
                if (late.ReadsLeft > 0)
                {
                    _late[silo] = (late.Accelerator, late.ReadsLeft - 1);
                    return null;
                }

                _accelerators[silo] = late.Accelerator;
            }

            return _accelerators.GetValueOrDefault(silo);
        }

        public System.Collections.IEnumerator GetEnumerator() => _accelerators.GetEnumerator();
    }

    private sealed class Context(params SiloAddress[] compatible) : IPlacementContext
    {
        public SiloAddress LocalSilo => Local;

        public SiloStatus LocalSiloStatus => SiloStatus.Active;

        public SiloAddress[] GetCompatibleSilos(PlacementTarget target) => compatible;

        public IReadOnlyDictionary<ushort, SiloAddress[]> GetCompatibleSilosWithVersions(PlacementTarget target) =>
            new Dictionary<ushort, SiloAddress[]> { [0] = compatible };
    }
}
