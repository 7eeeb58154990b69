namespace AnomalyNcd.Core.Features;

/// <summary>The ends of the four residual stages of ResNet18 (after the last ReLU of each stage).</summary>
public enum ResNetStage
{
    /// <summary>64 channels, 56×56 for a 224² input (stride 4).</summary>
    Layer1 = 1,

    /// <summary>128 channels, 28×28 (stride 8).</summary>
    Layer2 = 2,

    /// <summary>256 channels, 14×14 (stride 16).</summary>
    Layer3 = 3,

    /// <summary>512 channels, 7×7 (stride 32).</summary>
    Layer4 = 4,
}
