using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Model;

/// <summary>Non-overlapping patch projection: [B,3,H,W] → [B,N,D], patches in row-major order.</summary>
public sealed class PatchEmbed : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d proj;

    public PatchEmbed(VitConfig config) : base(nameof(PatchEmbed))
    {
        proj = nn.Conv2d(3, config.EmbedDim, kernel_size: config.PatchSize, stride: config.PatchSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor images)
    {
        // [B, D, h, w] → [B, h*w, D]; flatten(2) walks rows first, then columns.
        return proj.forward(images).flatten(2).transpose(1, 2);
    }
}
