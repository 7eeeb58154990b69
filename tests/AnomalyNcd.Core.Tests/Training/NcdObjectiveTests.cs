using AnomalyNcd.Core.Model;
using AnomalyNcd.Core.Training;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Training;

public class NcdObjectiveTests
{
    // B = 4 samples: 0 and 1 labelled (labels 0, 1), 2 and 3 unlabelled; K = 4 classes, L = 2 base classes.
    private const int BaseClasses = 2;
    private const double TeacherTemperature = 0.06;

    private static double[][] Rows(int count, int width, double seed)
        => Enumerable.Range(0, count)
            .Select(i => Enumerable.Range(0, width).Select(j => Math.Sin(seed + 1.3 * i + 0.7 * j * j)).ToArray())
            .ToArray();

    private static double[][] Pick(double[][] rows, params int[] indices) => indices.Select(i => rows[i]).ToArray();

    [Fact]
    public void Total_CombinesComponentsWithLambdaAndMu_MatchesHandComputedValue()
    {
        using var scope = NewDisposeScope();
        var z = Rows(8, 3, 0.1);
        var headLogits = new[] { Rows(8, 4, 0.5), Rows(8, 4, 2.0) };
        var output = new MultiHeadOutput(TensorFactory.Matrix(z), headLogits.Select(TensorFactory.Matrix).ToArray());
        var labels = TensorFactory.Labels(0, 1, 3, 2);
        var labelled = tensor(new[] { true, true, false, false });
        // Labelled samples' weights must be ignored; unlabelled sample 2 is corrected with w = 0.2.
        var weights = tensor(new[] { 0.9, 0.9, 0.2, 0.0 }, dtype: ScalarType.Float64);

        var breakdown = NcdObjective.Compute(output, labels, labelled, weights, BaseClasses, TeacherTemperature);

        int[] labelledRows = { 0, 1, 4, 5 };
        int[] unlabelledRows = { 2, 3, 6, 7 };
        var con = ReferenceMath.SimClr(z, 1.0);
        var sup = ReferenceMath.SupCon(Pick(z, labelledRows), new[] { 0, 1 }, 0.07);
        var ce = headLogits.Select(l => ReferenceMath.CrossEntropy(Pick(l, labelledRows), new[] { 0, 1, 0, 1 }, 0.1)).ToArray();
        var dist = headLogits.Select(l => ReferenceMath.Distill(Pick(l, unlabelledRows), TeacherTemperature, BaseClasses, new[] { 0.2, 0.0, 0.2, 0.0 }, 0.1)).ToArray();
        var me = headLogits.Select(l => ReferenceMath.MeanEntropy(Pick(l, unlabelledRows), 0.1)).ToArray();
        var cluster = dist.Zip(me, (d, m) => d + 4 * m).ToArray();
        var expectedTotal = 0.7 * cluster.Average() + 0.3 * ce.Average() + 0.7 * con + 0.3 * sup;

        Assert.Equal(con, breakdown.Contrastive.item<double>(), 9);
        Assert.Equal(sup, breakdown.SupervisedContrastive.item<double>(), 8);
        Assert.Equal(ce.Average(), breakdown.Classification.item<double>(), 9);
        Assert.Equal(cluster, breakdown.HeadClusterValues(), new ToleranceComparer(1e-9));
        Assert.Equal(expectedTotal, breakdown.Total.item<double>(), 8);
    }

    [Fact]
    public void RegionlessCropsCountAsNormal_TheirRowsCountAsCertainOfTheNormalClassInTheMeanEntropy()
    {
        using var scope = NewDisposeScope();
        // K = 5: base classes 0 and 1, the normal class 2, novel classes 3 and 4. Sample 2 has no region, sample 3 has one.
        var z = Rows(8, 3, 0.1);
        var headLogits = new[] { Rows(8, 5, 0.5), Rows(8, 5, 2.0) };
        var output = new MultiHeadOutput(TensorFactory.Matrix(z), headLogits.Select(TensorFactory.Matrix).ToArray());
        var labels = TensorFactory.Labels(0, 1, 3, 2);
        var labelled = tensor(new[] { true, true, false, false });
        var regionless = tensor(new[] { false, false, true, false });

        var reference = NcdObjective.Compute(output, labels, labelled, null, BaseClasses, TeacherTemperature, regionless: regionless);
        var asNormal = NcdObjective.Compute(output, labels, labelled, null, BaseClasses, TeacherTemperature, new NcdObjectiveOptions { RegionlessCropsCountAsNormal = true }, regionless);

        // The reference ignores the flags: every unlabelled row's own prediction.
        int[] unlabelledRows = { 2, 3, 6, 7 };
        Assert.Equal(headLogits.Select(l => ReferenceMath.MeanEntropy(Pick(l, unlabelledRows), 0.1)), reference.HeadMeanEntropy.Select(t => t.item<double>()), new ToleranceComparer(1e-9));
        // The option: rows 2 and 6 (sample 2's views) one-hot on class 2, rows 3 and 7 their own softmax.
        double[] normal = [0, 0, 1, 0, 0];
        var expected = headLogits.Select(l => MeanEntropyOf([normal, ReferenceMath.Softmax(l[3], 0.1), normal, ReferenceMath.Softmax(l[7], 0.1)]));
        Assert.Equal(expected, asNormal.HeadMeanEntropy.Select(t => t.item<double>()), new ToleranceComparer(1e-9));
        // Distillation is the same in both.
        Assert.Equal(reference.HeadDistillation.Select(t => t.item<double>()), asNormal.HeadDistillation.Select(t => t.item<double>()), new ToleranceComparer(1e-12));
    }

    [Fact]
    public void RegionlessCropsCountAsNormal_ABatchOfRegionlessCropsOnly_IsCertainOfOneClass()
    {
        using var scope = NewDisposeScope();
        var output = new MultiHeadOutput(TensorFactory.Matrix(Rows(4, 3, 0)), new[] { TensorFactory.Matrix(Rows(4, 4, 1)) });

        var breakdown = NcdObjective.Compute(
            output, TensorFactory.Labels(0, 0), tensor(new[] { false, false }), null, 0, 0.07, new NcdObjectiveOptions { RegionlessCropsCountAsNormal = true }, tensor(new[] { true, true }));

        // p̄ = (1, 0, 0, 0): Σ p̄ log p̄ = 0, so the term is log K.
        Assert.Equal(Math.Log(4), breakdown.HeadMeanEntropy[0].item<double>(), 9);
    }

    private static double MeanEntropyOf(double[][] probabilities)
    {
        var k = probabilities[0].Length;
        var mean = Enumerable.Range(0, k).Select(c => probabilities.Average(p => p[c])).ToArray();
        return mean.Where(p => p > 0).Sum(p => p * Math.Log(p)) + Math.Log(k);
    }

    [Fact]
    public void Compute_BatchWithoutUnlabelledSamples_IsRefused()
    {
        using var scope = NewDisposeScope();
        var output = new MultiHeadOutput(TensorFactory.Matrix(Rows(4, 3, 0)), new[] { TensorFactory.Matrix(Rows(4, 3, 1)) });

        Assert.Throws<ArgumentException>(() => NcdObjective.Compute(
            output, TensorFactory.Labels(0, 1), tensor(new[] { true, true }), null, 1, 0.07));
    }

    [Fact]
    public void Compute_AllUnlabelledWithBaseClasses_IsRefused()
    {
        using var scope = NewDisposeScope();
        var output = new MultiHeadOutput(TensorFactory.Matrix(Rows(4, 3, 0)), new[] { TensorFactory.Matrix(Rows(4, 3, 1)) });

        Assert.Throws<ArgumentException>(() => NcdObjective.Compute(
            output, TensorFactory.Labels(0, 1), tensor(new[] { false, false }), null, 1, 0.07));
    }

    [Fact]
    public void Compute_NoBaseSet_UsesOnlyUnsupervisedTerms()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var heads = new MultiHead(featureDim: 8, classCount: 3, headCount: 2, hiddenDim: 16, bottleneckDim: 4);
        var breakdown = NcdObjective.Compute(
            heads.forward(randn(6, 8)), TensorFactory.Labels(0, 0, 0), tensor(new[] { false, false, false }), null, baseClassCount: 0, teacherTemperature: 0.07);

        Assert.Equal(0.0, breakdown.Classification.item<float>());
        Assert.Equal(0.0, breakdown.SupervisedContrastive.item<float>());
        var expected = 0.7 * (breakdown.Cluster.item<float>() + breakdown.Contrastive.item<float>());
        Assert.Equal(expected, breakdown.Total.item<float>(), 5);
    }

    [Fact]
    public void Total_BackwardThroughMultiHead_GivesFiniteNonZeroGradients()
    {
        using var scope = NewDisposeScope();
        manual_seed(3407);
        var heads = new MultiHead(featureDim: 16, classCount: 5, headCount: 4, hiddenDim: 32, bottleneckDim: 8);
        var features = randn(12, 16);
        var labels = TensorFactory.Labels(0, 1, 0, 4, 3, 2);
        var labelled = tensor(new[] { true, true, true, false, false, false });
        var weights = tensor(new[] { 0.0, 0.0, 0.0, 0.5, 0.1, 0.0 });

        var breakdown = NcdObjective.Compute(heads.forward(features), labels, labelled, weights, baseClassCount: 2, teacherTemperature: 0.07);
        breakdown.Total.backward();

        Assert.True(double.IsFinite(breakdown.Total.item<float>()));
        foreach (var (name, parameter) in heads.named_parameters())
        {
            var grad = parameter.grad;
            Assert.True(grad is not null, $"{name} got no gradient");
            Assert.True(grad!.isfinite().all().item<bool>(), $"{name} has a non-finite gradient");
            Assert.True(grad.abs().sum().item<float>() > 0, $"{name} has an all-zero gradient");
        }
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
