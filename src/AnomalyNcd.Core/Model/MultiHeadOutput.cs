using static TorchSharp.torch;

namespace AnomalyNcd.Core.Model;

/// <summary>Output of <see cref="MultiHead"/>: projector output z [N, 256] and one logits tensor [N, K] per head.</summary>
public sealed record MultiHeadOutput(Tensor Projection, IReadOnlyList<Tensor> Logits);
