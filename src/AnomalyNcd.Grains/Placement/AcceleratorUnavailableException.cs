namespace AnomalyNcd.Grains.Placement;

/// <summary>No silo can host an accelerator grain: none advertises <c>cuda</c> and CPU fallback is off.</summary>
[GenerateSerializer]
public sealed class AcceleratorUnavailableException : OrleansException
{
    public AcceleratorUnavailableException(string message) : base(message)
    {
    }

    public static AcceleratorUnavailableException For(GrainId grain) => new(
        $"no silo advertises {AcceleratorKinds.MetadataKey}={AcceleratorKinds.Cuda} for grain {grain}; " +
        "start a silo with --accelerator cuda or enable AllowCpuFallback");
}
