namespace AnomalyNcd.Core.Model;

/// <summary>
/// Shape of the mask-guided ViT (method-spec §8.1). <see cref="DinoVitBase8"/> is DINO's ViT-B/8 with
/// the AnomalyNCD default of 9 mask-guided blocks; <see cref="Tiny"/> keeps tests fast.
/// </summary>
public sealed record VitConfig
{
    public int PatchSize { get; init; } = 8;

    public int EmbedDim { get; init; } = 768;

    public int Depth { get; init; } = 12;

    public int Heads { get; init; } = 12;

    public int MlpRatio { get; init; } = 4;

    public double LayerNormEps { get; init; } = 1e-6;

    public int ImageSize { get; init; } = 224;

    /// <summary>L_m: how many of the last blocks use mask-guided attention.</summary>
    public int MaskLayers { get; init; } = 9;

    public static VitConfig DinoVitBase8 { get; } = new();

    public static VitConfig Tiny { get; } = new()
    {
        PatchSize = 8, EmbedDim = 32, Depth = 4, Heads = 4, ImageSize = 32, MaskLayers = 2,
    };

    public int PatchesPerSide => ImageSize / PatchSize;

    public int PatchCount => PatchesPerSide * PatchesPerSide;

    /// <summary>Patch tokens plus the CLS token.</summary>
    public int TokenCount => PatchCount + 1;

    public int HeadDim => EmbedDim / Heads;

    public int MlpHiddenDim => EmbedDim * MlpRatio;

    /// <summary>Index of the first mask-guided block (depth − L_m).</summary>
    public int FirstMaskedBlock => Depth - MaskLayers;

    public void Validate()
    {
        if (PatchSize <= 0 || ImageSize <= 0 || ImageSize % PatchSize != 0)
        {
            throw new ArgumentException($"Image size {ImageSize} must be a positive multiple of the patch size {PatchSize}.");
        }

        if (EmbedDim <= 0 || Heads <= 0 || EmbedDim % Heads != 0)
        {
            throw new ArgumentException($"Embedding dimension {EmbedDim} must be a positive multiple of the head count {Heads}.");
        }

        if (Depth <= 0 || MlpRatio <= 0 || MaskLayers < 0 || MaskLayers > Depth)
        {
            throw new ArgumentException($"Need depth > 0, MLP ratio > 0 and 0 <= mask layers <= depth (got {Depth}, {MlpRatio}, {MaskLayers}).");
        }
    }
}
