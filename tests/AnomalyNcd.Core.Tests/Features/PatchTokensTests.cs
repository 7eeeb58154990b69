using AnomalyNcd.Core.Features;

namespace AnomalyNcd.Core.Tests.Features;

public class PatchTokensTests
{
    [Fact]
    public void ResizeBilinear_Upsampling_MatchesTorchAlignCornersFalse()
    {
        float[] source = [0, 1, 2, 3];
        var target = new float[16];
        PatchTokens.ResizeBilinear(source, 2, 2, target, 4, 4);
        float[] expected =
        [
            0.0f, 0.25f, 0.75f, 1.0f,
            0.5f, 0.75f, 1.25f, 1.5f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.0f, 2.25f, 2.75f, 3.0f,
        ];
        Assert.Equal(expected, target);
    }

    [Fact]
    public void ResizeBilinear_HalvingSize_AveragesTwoByTwoBlocks()
    {
        var source = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        var target = new float[4];
        PatchTokens.ResizeBilinear(source, 4, 4, target, 2, 2);
        Assert.Equal([2.5f, 4.5f, 10.5f, 12.5f], target);
    }

    [Fact]
    public void Build_DefaultStages_Gives784TokensOf384Values()
    {
        var tokens = PatchTokens.Build(SyntheticFeatures());
        Assert.Equal((28, 28, 384), (tokens.Rows, tokens.Columns, tokens.Dimension));
        Assert.Equal(784 * 384, tokens.Values.Length);
    }

    [Fact]
    public void Build_Layer2Channels_AreCopiedRowMajorIntoTheFirstValues()
    {
        var features = SyntheticFeatures();
        var tokens = PatchTokens.Build(features);
        var layer2 = features[ResNetStage.Layer2];
        foreach (var (row, column) in new[] { (0, 0), (3, 17), (27, 27) })
        {
            var token = tokens.Token(row, column);
            Assert.Equal(tokens.Token(row * 28 + column).ToArray(), token.ToArray());
            for (var c = 0; c < 128; c++)
            {
                Assert.Equal(layer2[c, row, column], token[c]);
            }
        }
    }

    [Fact]
    public void Build_Layer3Channels_FollowUpsampled()
    {
        var features = SyntheticFeatures();
        var tokens = PatchTokens.Build(features);
        var layer3 = features[ResNetStage.Layer3];
        var upsampled = new float[28 * 28];
        PatchTokens.ResizeBilinear(layer3.Plane(5), 14, 14, upsampled, 28, 28);
        Assert.Equal(upsampled[9 * 28 + 20], tokens.Token(9, 20)[128 + 5]);
        // Interior cells of a 2× upsampling mix the 2×2 nearest source cells with weights 9/16, 3/16, 3/16, 1/16.
        var expected = (9f * layer3[5, 4, 10] + 3f * layer3[5, 4, 9] + 3f * layer3[5, 5, 10] + layer3[5, 5, 9]) / 16f;
        Assert.Equal(expected, tokens.Token(9, 20)[128 + 5], 4);
    }

    [Fact]
    public void Build_StageOrder_DecidesConcatenationOrder()
    {
        var features = SyntheticFeatures();
        var tokens = PatchTokens.Build(features, [ResNetStage.Layer3, ResNetStage.Layer2], 28);
        Assert.Equal(features[ResNetStage.Layer2][0, 2, 3], tokens.Token(2, 3)[256]);
    }

    [Fact]
    public void Build_MissingStage_IsRefused()
    {
        Assert.Throws<KeyNotFoundException>(() => PatchTokens.Build(SyntheticFeatures(), [ResNetStage.Layer1], 28));
    }

    private static CropFeatures SyntheticFeatures()
    {
        var random = new Random(7);
        FeatureMap Map(ResNetStage stage)
        {
            var values = new float[stage.Channels() * stage.Size() * stage.Size()];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)random.NextDouble();
            }

            return new FeatureMap(stage.Channels(), stage.Size(), stage.Size(), values);
        }

        return new CropFeatures(new Dictionary<ResNetStage, FeatureMap>
        {
            [ResNetStage.Layer2] = Map(ResNetStage.Layer2),
            [ResNetStage.Layer3] = Map(ResNetStage.Layer3),
        });
    }
}
