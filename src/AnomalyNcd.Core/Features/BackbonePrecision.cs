namespace AnomalyNcd.Core.Features;

/// <summary>Arithmetic of the ResNet18 forward pass.</summary>
public enum BackbonePrecision
{
    /// <summary>The model as shipped, float32.</summary>
    Fp32,

    /// <summary>Statically quantised (uint8 activations, int8 per-channel weights) from calibrated activation ranges.</summary>
    Int8,
}
