namespace AnomalyNcd.Grains.Placement;

/// <summary>The silo metadata key and the values a silo advertises for its accelerator.</summary>
public static class AcceleratorKinds
{
    /// <summary>Silo metadata key (configuration <c>Orleans:Metadata:hardware.accelerator</c>).</summary>
    public const string MetadataKey = "hardware.accelerator";

    public const string Cuda = "cuda";

    public const string Cpu = "cpu";

    /// <summary>Lower-cases a configured value and rejects anything but <c>cuda</c> or <c>cpu</c>.</summary>
    public static string Normalize(string value, string source)
    {
        var normalized = value.Trim().ToLowerInvariant();
        return normalized is Cuda or Cpu
            ? normalized
            : throw new ArgumentException($"{source}: accelerator '{value}' is not supported; use '{Cuda}' or '{Cpu}'.");
    }
}
