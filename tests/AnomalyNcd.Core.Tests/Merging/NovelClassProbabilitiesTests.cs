using AnomalyNcd.Core.Merging;

namespace AnomalyNcd.Core.Tests.Merging;

public class NovelClassProbabilitiesTests
{
    [Fact]
    public void FromLogits_StudentTemperature_ZeroesLabelledAndRenormalisesNovel()
    {
        var probabilities = NovelClassProbabilities.FromLogits([0.5, 0.0, 0.1, 0.2], labelledClassCount: 1);

        // Novel logits / 0.1 = [0, 1, 2] → softmax.
        var total = 1 + Math.E + (Math.E * Math.E);
        AssertClose([0.0, 1 / total, Math.E / total, Math.E * Math.E / total], probabilities);
    }

    [Fact]
    public void FromLogits_EqualsDirectSoftmaxZeroAndRenormalise()
    {
        double[] logits = [0.3, -0.2, 0.05, 0.4, -0.1];
        var full = logits.Select(l => Math.Exp(l / 0.1)).ToArray();
        full[0] = full[1] = 0;
        var direct = full.Select(v => v / full.Sum()).ToArray();

        var probabilities = NovelClassProbabilities.FromLogits(logits, labelledClassCount: 2);

        AssertClose(direct, probabilities);
    }

    [Fact]
    public void FromLogits_DominantLabelledClass_StaysFinite()
    {
        var probabilities = NovelClassProbabilities.FromLogits([1000, 0, 1], labelledClassCount: 1);

        Assert.Equal(0.0, probabilities[0]);
        Assert.Equal(1 / (1 + Math.Exp(10)), probabilities[1], 12);
        Assert.Equal(1.0, probabilities.Sum(), 12);
    }

    [Fact]
    public void FromLogits_NoNovelClassLeft_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NovelClassProbabilities.FromLogits([1.0, 2.0], labelledClassCount: 2));
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var c = 0; c < expected.Length; c++)
        {
            Assert.Equal(expected[c], actual[c], 12);
        }
    }
}
