using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Model;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Model;

public class DinoCheckpointTests
{
    private static MaskGuidedVisionTransformer TinyModel(int seed, VitConfig? config = null)
    {
        manual_seed(seed);
        return new MaskGuidedVisionTransformer(config ?? VitConfig.Tiny);
    }

    [Theory]
    [InlineData("vit.safetensors")]
    [InlineData("vit.pth")]
    public void Load_RoundTripOfSavedCheckpoint_GivesIdenticalOutputs(string fileName)
    {
        using var scope = NewDisposeScope();
        using var folder = TestData.NewTempFolder();
        var path = folder.Combine(fileName);
        var source = TinyModel(10);
        if (fileName.EndsWith(".pth", StringComparison.Ordinal))
        {
            DinoCheckpoint.SavePyTorch(source, path);
        }
        else
        {
            DinoCheckpoint.SaveSafetensors(source, path);
        }

        var target = TinyModel(11);
        var images = randn(2, 3, 32, 32);
        var masks = rand(2, 1, 32, 32);
        var before = target.forward(images, masks);

        DinoCheckpoint.Load(target, path);

        var expected = source.forward(images, masks);
        var after = target.forward(images, masks);
        Assert.True(before.sub(expected).abs().max().item<float>() > 1e-3f, "the two random models should differ before loading");
        Assert.Equal(0f, after.sub(expected).abs().max().item<float>());
    }

    [Theory]
    [InlineData(5, "missing blocks.4.")]
    [InlineData(3, "unexpected blocks.3.")]
    public void Load_CheckpointWithOtherDepth_NamesFileAndFirstOffendingKeys(int targetDepth, string expectedFragment)
    {
        using var scope = NewDisposeScope();
        using var folder = TestData.NewTempFolder();
        var path = folder.Combine("depth4.safetensors");
        DinoCheckpoint.SaveSafetensors(TinyModel(12), path);
        var target = TinyModel(13, VitConfig.Tiny with { Depth = targetDepth, MaskLayers = 1 });

        var error = Assert.Throws<InvalidInputException>(() => DinoCheckpoint.Load(target, path));

        Assert.Equal(path, error.InputPath);
        Assert.StartsWith("checkpoint of another architecture: ", error.Problem);
        Assert.Contains(expectedFragment, error.Problem);
        Assert.Contains("(+9 more)", error.Problem); // 12 tensors per block, 3 named
    }

    [Fact]
    public void Load_CheckpointWithOtherWidth_ReportsWrongShape()
    {
        using var scope = NewDisposeScope();
        using var folder = TestData.NewTempFolder();
        var path = folder.Combine("dim16.pth");
        DinoCheckpoint.SavePyTorch(TinyModel(14, VitConfig.Tiny with { EmbedDim = 16 }), path);
        var target = TinyModel(15);

        var error = Assert.Throws<InvalidInputException>(() => DinoCheckpoint.Load(target, path));

        Assert.Contains("wrong shape cls_token [1, 1, 16] (model needs [1, 1, 32])", error.Problem);
        Assert.DoesNotContain("missing", error.Problem);
    }

    [Fact]
    public void Load_FileThatIsNoCheckpoint_IsRefusedClearly()
    {
        using var folder = TestData.NewTempFolder();
        var path = folder.Combine("notes.pth");
        File.WriteAllText(path, "this is not a checkpoint at all");
        using var model = TinyModel(16);

        var error = Assert.Throws<InvalidInputException>(() => DinoCheckpoint.Load(model, path));

        Assert.Equal(path, error.InputPath);
        Assert.StartsWith("cannot read checkpoint", error.Problem);
    }
}
