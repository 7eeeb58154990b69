using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Model;

/// <summary>Transformer feed-forward: fc1 → exact (erf) GELU → fc2, no dropout.</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;

    public Mlp(VitConfig config) : base(nameof(Mlp))
    {
        fc1 = nn.Linear(config.EmbedDim, config.MlpHiddenDim);
        fc2 = nn.Linear(config.MlpHiddenDim, config.EmbedDim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var hidden = fc1.forward(x);
        using var activated = nn.functional.gelu(hidden);
        return fc2.forward(activated);
    }
}
