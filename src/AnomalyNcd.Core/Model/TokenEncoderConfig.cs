namespace AnomalyNcd.Core.Model;

/// <summary>
/// Size of the mask-guided encoder that sits on frozen CNN patch tokens (the product's CPU backbone).
/// </summary>
/// <param name="TokenDim">Channels of each incoming patch token (e.g. 384 = ResNet18 layer2 + layer3).</param>
/// <param name="Tokens">Number of patch tokens (grid side squared, e.g. 28 × 28 = 784).</param>
/// <param name="EmbedDim">Width of the trainable part; the CLS feature has this size.</param>
/// <param name="Heads">Attention heads (EmbedDim must divide by it).</param>
/// <param name="Blocks">Mask-guided CLS blocks.</param>
public sealed record TokenEncoderConfig(int TokenDim = 384, int Tokens = 784, int EmbedDim = 128, int Heads = 4, int Blocks = 2)
{
    public void Validate()
    {
        if (TokenDim <= 0 || Tokens <= 0 || EmbedDim <= 0 || Heads <= 0 || Blocks <= 0 || EmbedDim % Heads != 0)
        {
            throw new ArgumentException($"invalid token encoder size {this}");
        }
    }
}
