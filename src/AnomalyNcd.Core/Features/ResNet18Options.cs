using AnomalyNcd.Core.Features.Onnx;

namespace AnomalyNcd.Core.Features;

/// <summary>Where the ResNet18 ONNX files are and how ONNX Runtime runs them.</summary>
public sealed record ResNet18Options
{
    /// <summary>
    /// Folder holding <c>ResNet18Onnx/ResNet18.onnx</c> and <c>ResNetPrepOnnx/ResNetPreprocess.onnx</c>;
    /// by default <c>DnnImageModels</c> beside the application (where the build copies them).
    /// </summary>
    public string ModelFolder { get; init; } = Path.Combine(AppContext.BaseDirectory, "DnnImageModels");

    /// <summary>
    /// Threads ONNX Runtime uses inside one forward pass. 1 by default, so that callers running crops in
    /// parallel (one task per core) scale instead of oversubscribing the CPU.
    /// </summary>
    public int IntraOpNumThreads { get; init; } = 1;

    /// <summary>Float32 as shipped, or the int8 rewrite of <see cref="OnnxInt8Quantizer"/> (needs <see cref="Int8Ranges"/>).</summary>
    public BackbonePrecision Precision { get; init; } = BackbonePrecision.Fp32;

    /// <summary>Calibrated activation ranges (from <see cref="ResNet18Features.CalibrateInt8"/>) used when <see cref="Precision"/> is Int8.</summary>
    public IReadOnlyDictionary<string, ActivationRange>? Int8Ranges { get; init; }
}
