using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Model;

/// <summary>
/// AnomalyNCD's MGViT (method-spec §8.1–8.4): DINO ViT whose last L_m blocks let the CLS token attend only
/// to tokens inside the anomaly mask. Forward(images [B,3,S,S], masks [B,1,S,S] in [0,1]) → CLS feature [B,D]
/// after the final LayerNorm. Parameter names match DINO's state dict.
/// </summary>
public sealed class MaskGuidedVisionTransformer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Parameter cls_token;
    private readonly Parameter pos_embed;
    private readonly PatchEmbed patch_embed;
    private readonly ModuleList<Block> blocks;
    private readonly LayerNorm norm;

    public MaskGuidedVisionTransformer(VitConfig config) : base(nameof(MaskGuidedVisionTransformer))
    {
        config.Validate();
        Config = config;
        patch_embed = new PatchEmbed(config);
        cls_token = new Parameter(zeros(1, 1, config.EmbedDim));
        pos_embed = new Parameter(zeros(1, config.TokenCount, config.EmbedDim));
        blocks = new ModuleList<Block>();
        for (var i = 0; i < config.Depth; i++)
        {
            blocks.Add(new Block(config, maskGuided: i >= config.FirstMaskedBlock));
        }

        norm = nn.LayerNorm(config.EmbedDim, eps: config.LayerNormEps);
        RegisterComponents();
        InitializeLikeDino();
    }

    public VitConfig Config { get; }

    public Block GetBlock(int index) => blocks[index];

    /// <summary>The final LayerNorm (frozen in the reference).</summary>
    public LayerNorm FinalNorm => norm;

    /// <summary>
    /// Tokens [B, T, D] after the first <paramref name="blockCount"/> blocks, without autograd history.
    /// Patch rows never depend on the mask (only the CLS row does), so these tokens can be cached per
    /// augmented view and the remaining blocks trained on them (the frozen prefix of §8.2).
    /// </summary>
    public Tensor ForwardPrefix(Tensor images, Tensor masks, int blockCount)
    {
        CheckInputs(images, masks);
        if (blockCount < 0 || blockCount > blocks.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(blockCount), $"between 0 and {blocks.Count}");
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var visible = TokenMask.VisibleToCls(masks, Config.PatchSize);
        var x = EmbedTokens(images);
        for (var i = 0; i < blockCount; i++)
        {
            x = blocks[i].forward(x, visible);
        }

        return scope.MoveToOuter(x);
    }

    public override Tensor forward(Tensor images, Tensor masks)
    {
        CheckInputs(images, masks);
        using var scope = NewDisposeScope();
        var visible = TokenMask.VisibleToCls(masks, Config.PatchSize);

        // A prefix with no trainable parameter cannot need autograd history: run it under no_grad (§8.2).
        var frozenPrefix = images.requires_grad ? -1 : FrozenPrefixBlockCount();
        Tensor x;
        using (frozenPrefix >= 0 ? no_grad() : null)
        {
            x = EmbedTokens(images);
            for (var i = 0; i < Math.Max(frozenPrefix, 0); i++)
            {
                x = blocks[i].forward(x, visible);
            }
        }

        for (var i = Math.Max(frozenPrefix, 0); i < blocks.Count; i++)
        {
            x = blocks[i].forward(x, visible);
        }

        var cls = norm.forward(x.select(1, 0));
        return scope.MoveToOuter(cls);
    }

    /// <summary>
    /// Freezes everything except the last block (method-spec §8.2: blocks with index ≥ 11 for ViT-B/8;
    /// patch embedding, CLS token, positional embedding and the final norm stay frozen).
    /// </summary>
    public void FreezeAllButLastBlock()
    {
        var trainablePrefix = $"blocks.{Config.Depth - 1}.";
        foreach (var (name, parameter) in named_parameters())
        {
            parameter.requires_grad = name.StartsWith(trainablePrefix, StringComparison.Ordinal);
        }
    }

    /// <summary>Parameters that currently require grad, with their DINO names.</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> TrainableParameters() =>
        named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter)).ToList();

    private Tensor EmbedTokens(Tensor images)
    {
        var patches = patch_embed.forward(images);
        var cls = cls_token.expand(images.shape[0], -1, -1);
        return cat(new[] { cls, patches }, 1).Plus(pos_embed);
    }

    /// <summary>How many leading blocks (with the embedding stem) hold no trainable parameter; −1 if the stem trains.</summary>
    private int FrozenPrefixBlockCount()
    {
        if (cls_token.requires_grad || pos_embed.requires_grad || patch_embed.parameters().Any(p => p.requires_grad))
        {
            return -1;
        }

        var count = 0;
        while (count < blocks.Count && !blocks[count].parameters().Any(p => p.requires_grad))
        {
            count++;
        }

        return count;
    }

    private void CheckInputs(Tensor images, Tensor masks)
    {
        var size = Config.ImageSize;
        if (images.ndim != 4 || images.shape[1] != 3 || images.shape[2] != size || images.shape[3] != size)
        {
            // DINO would interpolate the positional embedding for other sizes; the pipeline always feeds 224².
            throw new ArgumentException($"Images must be [B, 3, {size}, {size}], got [{string.Join(", ", images.shape)}].");
        }

        if (masks.ndim != 4 || masks.shape[0] != images.shape[0] || masks.shape[1] != 1 || masks.shape[2] != size || masks.shape[3] != size)
        {
            throw new ArgumentException($"Masks must be [{images.shape[0]}, 1, {size}, {size}], got [{string.Join(", ", masks.shape)}].");
        }
    }

    private void InitializeLikeDino()
    {
        // DINO: trunc-normal(std 0.02, bounds ±2 absolute, so effectively a plain normal) for tokens and
        // Linear weights, zero Linear biases, LayerNorm (1, 0). Only matters before a checkpoint is loaded.
        using var noGrad = no_grad();
        SmallNormal(cls_token);
        SmallNormal(pos_embed);
        foreach (var module in modules())
        {
            if (module is Linear linear)
            {
                SmallNormal(linear.weight!);
                if (linear.bias is not null)
                {
                    nn.init.zeros_(linear.bias);
                }
            }
        }
    }

    private static void SmallNormal(Tensor parameter) => parameter.normal_(0.0, 0.02).ClampInPlace(-2.0, 2.0);
}
