using AnomalyNcd.Core.Model;
using AnomalyNcd.Core.Tests.Training;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Model;

// Seeded inputs and weights: another class drawing from the global generator meanwhile would change them.
[Collection(TorchGlobalRandomCollection.Name)]
public class MaskGuidedTokenEncoderTests
{
    private static readonly TokenEncoderConfig Small = new(TokenDim: 12, Tokens: 16, EmbedDim: 16, Heads: 4, Blocks: 2);

    private static (Tensor Tokens, Tensor Visible) Inputs(int batch, int seed)
    {
        manual_seed(seed);
        var tokens = randn(batch, Small.Tokens, Small.TokenDim);
        var visible = zeros(new long[] { batch, Small.Tokens }, ScalarType.Bool);
        visible[TensorIndex.Colon, TensorIndex.Slice(0, 5)] = tensor(true);
        return (tokens, visible);
    }

    [Fact]
    public void Forward_HiddenTokensChange_ClsFeatureUnchanged()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var encoder = new MaskGuidedTokenEncoder(Small);
        var (tokens, visible) = Inputs(3, 2);
        var before = encoder.forward(tokens, visible);

        var altered = tokens.clone();
        altered[TensorIndex.Colon, TensorIndex.Slice(5, null)] = randn(3, Small.Tokens - 5, Small.TokenDim) * 10;
        var after = encoder.forward(altered, visible);

        Assert.True(before.allclose(after, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Forward_VisibleTokenChanges_ClsFeatureChanges()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var encoder = new MaskGuidedTokenEncoder(Small);
        var (tokens, visible) = Inputs(2, 3);
        var before = encoder.forward(tokens, visible);

        var altered = tokens.clone();
        altered[TensorIndex.Colon, 0] = randn(2, Small.TokenDim) * 5;
        var after = encoder.forward(altered, visible);

        Assert.True((before - after).abs().max().item<float>() > 1e-3);
    }

    [Fact]
    public void Forward_AllTokensHidden_FeatureIndependentOfImage()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var encoder = new MaskGuidedTokenEncoder(Small);
        var hidden = zeros(new long[] { 2, Small.Tokens }, ScalarType.Bool);
        var first = encoder.forward(randn(2, Small.Tokens, Small.TokenDim), hidden);
        var second = encoder.forward(randn(2, Small.Tokens, Small.TokenDim) * 3, hidden);

        // The CLS token then attends to itself only: every empty-mask crop gets the same feature.
        Assert.True(first.allclose(second, rtol: 0, atol: 1e-6));
        Assert.True(first[0].allclose(first[1], rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Forward_PackedVisibleTokens_EqualsTheFullGrid()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var encoder = new MaskGuidedTokenEncoder(Small);
        var tokens = randn(4, Small.Tokens, Small.TokenDim);
        // rows: scattered tokens, none, every one, a single one
        var visible = rand(4, Small.Tokens).lt(0.3);
        visible[1] = zeros(Small.Tokens, ScalarType.Bool);
        visible[2] = ones(Small.Tokens, ScalarType.Bool);
        visible[3] = zeros(Small.Tokens, ScalarType.Bool);
        visible[3, 9] = tensor(true);

        var packed = encoder.forward(tokens, visible);
        var full = encoder.ReferenceForward(tokens, visible);

        Assert.True(packed.allclose(full, rtol: 0, atol: 1e-5), $"max difference {(packed - full).abs().max().item<float>()}");
    }

    [Fact]
    public void Backward_PackedVisibleTokens_SameGradientsAsTheFullGrid()
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        using var encoder = new MaskGuidedTokenEncoder(Small);
        var tokens = randn(3, Small.Tokens, Small.TokenDim);
        var visible = rand(3, Small.Tokens).lt(0.4);

        encoder.forward(tokens, visible).pow(2).sum().backward();
        var packed = encoder.parameters().Select(p => p.grad!.clone()).ToList();
        encoder.zero_grad();
        encoder.ReferenceForward(tokens, visible).pow(2).sum().backward();
        var full = encoder.parameters().Select(p => p.grad!).ToList();

        for (var i = 0; i < packed.Count; i++)
        {
            Assert.True(packed[i].allclose(full[i], rtol: 1e-4, atol: 1e-5), $"parameter {i}: max difference {(packed[i] - full[i]).abs().max().item<float>()}");
        }
    }

    [Fact]
    public void Backward_GradientsReachEveryParameter()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var encoder = new MaskGuidedTokenEncoder(Small);
        var (tokens, visible) = Inputs(4, 6);
        var feature = encoder.forward(tokens, visible);
        Assert.Equal(new long[] { 4, Small.EmbedDim }, feature.shape);

        feature.pow(2).sum().backward();
        foreach (var (name, parameter) in encoder.named_parameters())
        {
            Assert.True(parameter.grad is not null && parameter.grad.abs().sum().item<float>() > 0, $"no gradient for {name}");
        }
    }
}
