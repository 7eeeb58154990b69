using AnomalyNcd.Grains.Placement;
using Orleans.Placement;

namespace AnomalyNcd.Grains.Tests.Placement;

/// <summary>Reports the silo its activation lives on.</summary>
public interface ISiloProbeGrain : IGrainWithIntegerKey
{
    Task<SiloAddress> GetSilo();
}

public interface IAcceleratorProbeGrain : ISiloProbeGrain;

public interface IRandomProbeGrain : ISiloProbeGrain;

/// <summary>Stands in for the training and inference grains: carries the accelerator placement.</summary>
[AcceleratorPlacement]
public sealed class AcceleratorProbeGrain(ILocalSiloDetails silo) : Grain, IAcceleratorProbeGrain
{
    public Task<SiloAddress> GetSilo() => Task.FromResult(silo.SiloAddress);
}

/// <summary>The control: random placement, so with three silos its activations reach CPU silos too.</summary>
[RandomPlacement]
public sealed class RandomProbeGrain(ILocalSiloDetails silo) : Grain, IRandomProbeGrain
{
    public Task<SiloAddress> GetSilo() => Task.FromResult(silo.SiloAddress);
}
