using AnomalyNcd.Core.Model;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Model;

public class MaskGuidedVisionTransformerTests
{
    private static (Tensor Images, Tensor Masks) RandomInputs(VitConfig config, int batch, float maskValue)
    {
        var images = randn(batch, 3, config.ImageSize, config.ImageSize);
        var masks = full(new long[] { batch, 1, config.ImageSize, config.ImageSize }, maskValue);
        return (images, masks);
    }

    [Fact]
    public void Forward_ReturnsClsFeaturePerImage()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var model = new MaskGuidedVisionTransformer(VitConfig.Tiny);
        var (images, masks) = RandomInputs(VitConfig.Tiny, 3, 1f);

        var features = model.forward(images, masks);

        Assert.Equal(new long[] { 3, VitConfig.Tiny.EmbedDim }, features.shape);
        Assert.True(features.isfinite().all().item<bool>());
    }

    [Fact]
    public void AllZeroMask_AllBlocksMasked_FeatureIgnoresImage()
    {
        // Spec §8.4: with an all-zero mask CLS attends only to itself in masked blocks, so with L_m = depth
        // the CLS feature does not depend on the image at all.
        using var scope = NewDisposeScope();
        manual_seed(6);
        var config = VitConfig.Tiny with { MaskLayers = VitConfig.Tiny.Depth };
        var model = new MaskGuidedVisionTransformer(config);
        var (imagesA, zeroMasks) = RandomInputs(config, 2, 0f);
        var imagesB = randn(2, 3, config.ImageSize, config.ImageSize);

        var featureA = model.forward(imagesA, zeroMasks);
        var featureB = model.forward(imagesB, zeroMasks);

        Assert.True(featureA.sub(featureB).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void AllZeroMask_ImageReachesClsOnlyThroughPlainBlocks()
    {
        // With plain blocks before the masked ones, the image still matters (through those blocks);
        // and a full mask makes it matter even when every block is masked.
        using var scope = NewDisposeScope();
        manual_seed(7);
        var partlyMasked = new MaskGuidedVisionTransformer(VitConfig.Tiny);
        var fullyMasked = new MaskGuidedVisionTransformer(VitConfig.Tiny with { MaskLayers = VitConfig.Tiny.Depth });
        var (imagesA, zeroMasks) = RandomInputs(VitConfig.Tiny, 2, 0f);
        var imagesB = randn(2, 3, VitConfig.Tiny.ImageSize, VitConfig.Tiny.ImageSize);
        var oneMasks = ones_like(zeroMasks);

        var partlyChange = partlyMasked.forward(imagesA, zeroMasks).sub(partlyMasked.forward(imagesB, zeroMasks)).abs().max().item<float>();
        var fullMaskChange = fullyMasked.forward(imagesA, oneMasks).sub(fullyMasked.forward(imagesB, oneMasks)).abs().max().item<float>();

        Assert.True(partlyChange > 1e-3f, $"feature changed only by {partlyChange}");
        Assert.True(fullMaskChange > 1e-3f, $"feature changed only by {fullMaskChange}");
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void Forward_PixelsOutsideMaskReachCls_OnlyThroughVisiblePatchesOfEarlierBlocks(int depth, bool outsideMatters)
    {
        // Every block masked. With one block CLS reads only the masked-in patches, so outside pixels cannot
        // matter; with two, those patches have already attended to everything in block 0 (patch queries are
        // never masked), so outside pixels reach CLS indirectly.
        using var scope = NewDisposeScope();
        manual_seed(8);
        var config = VitConfig.Tiny with { Depth = depth, MaskLayers = depth };
        var model = new MaskGuidedVisionTransformer(config);
        var images = randn(1, 3, config.ImageSize, config.ImageSize);
        var masks = zeros(1, 1, config.ImageSize, config.ImageSize);
        masks[0, 0, TensorIndex.Slice(0, 16), TensorIndex.Slice(0, 16)] = tensor(1f); // top-left 2×2 patches
        var outside = images.clone();
        outside[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(16, 32)] = randn(1, 3, 16, 32);
        var inside = images.clone();
        inside[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(0, 8), TensorIndex.Slice(0, 8)] = randn(1, 3, 8, 8);

        var baseline = model.forward(images, masks);
        var outsideChange = baseline.sub(model.forward(outside, masks)).abs().max().item<float>();
        var insideChange = baseline.sub(model.forward(inside, masks)).abs().max().item<float>();

        Assert.Equal(outsideMatters, outsideChange > 1e-4f);
        Assert.True(outsideMatters || outsideChange < 1e-5f, $"outside pixels changed CLS by {outsideChange}");
        Assert.True(insideChange > 1e-3f, $"inside pixels changed CLS only by {insideChange}");
    }

    [Fact]
    public void ParameterNames_MatchDinoVitBase8KeyList_AndCountIs85_8M()
    {
        using var scope = NewDisposeScope();
        var model = new MaskGuidedVisionTransformer(VitConfig.DinoVitBase8);
        var expected = new List<string> { "cls_token", "pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias" };
        for (var i = 0; i < 12; i++)
        {
            foreach (var part in new[] { "norm1", "attn.qkv", "attn.proj", "norm2", "mlp.fc1", "mlp.fc2" })
            {
                expected.Add($"blocks.{i}.{part}.weight");
                expected.Add($"blocks.{i}.{part}.bias");
            }
        }

        expected.Add("norm.weight");
        expected.Add("norm.bias");

        var named = model.named_parameters().ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), named.Select(p => p.name).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Order(StringComparer.Ordinal), model.state_dict().Keys.Order(StringComparer.Ordinal));

        // 3·768·64+768 + 768 + 785·768 + 12·(2·1536 + 768·2304+2304 + 768·768+768 + 768·3072+3072 + 3072·768+768) + 1536
        const long dinoVitB8Parameters = 85_807_872;
        Assert.Equal(dinoVitB8Parameters, named.Sum(p => p.parameter.numel()));
        Assert.Equal(new long[] { 1, 785, 768 }, named.Single(p => p.name == "pos_embed").parameter.shape);
        Assert.Equal(new long[] { 2304, 768 }, named.Single(p => p.name == "blocks.11.attn.qkv.weight").parameter.shape);
    }

    [Fact]
    public void MaskedBlocks_AreTheLastMaskLayers()
    {
        using var scope = NewDisposeScope();
        var model = new MaskGuidedVisionTransformer(VitConfig.DinoVitBase8 with { ImageSize = 16, EmbedDim = 24 });
        var masked = Enumerable.Range(0, 12).Where(i => model.GetBlock(i).MaskGuided).ToArray();
        Assert.Equal(Enumerable.Range(3, 9).ToArray(), masked);
    }

    [Fact]
    public void FreezeAllButLastBlock_OnlyLastBlockTrains_AndGradientsReachOnlyIt()
    {
        using var scope = NewDisposeScope();
        manual_seed(9);
        var model = new MaskGuidedVisionTransformer(VitConfig.Tiny);
        model.FreezeAllButLastBlock();
        var (images, masks) = RandomInputs(VitConfig.Tiny, 2, 1f);

        var trainable = model.TrainableParameters();
        Assert.Equal(12, trainable.Count);
        Assert.All(trainable, p => Assert.StartsWith("blocks.3.", p.Name));

        model.forward(images, masks).pow(2).sum().backward();

        foreach (var (name, parameter) in model.named_parameters())
        {
            var hasGradient = parameter.grad is not null && parameter.grad.abs().sum().item<float>() > 0;
            Assert.True(hasGradient == name.StartsWith("blocks.3.", StringComparison.Ordinal), $"{name}: gradient {hasGradient}");
        }
    }
}
