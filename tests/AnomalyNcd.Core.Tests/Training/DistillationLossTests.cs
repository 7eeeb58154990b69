using AnomalyNcd.Core.Training;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Training;

public class DistillationLossTests
{
    // n_u = 2 unlabelled samples, K = 4 classes, L = 1 base class; rows 0,1 view 0 and rows 2,3 view 1.
    private static readonly double[][] Logits =
    {
        new[] { 0.9, 0.1, 0.3, -0.2 },
        new[] { -0.5, 0.6, 0.2, 0.4 },
        new[] { 0.7, 0.0, 0.5, -0.1 },
        new[] { 0.2, 0.3, -0.6, 0.8 },
    };

    private const int BaseClasses = 1;
    private const double TeacherTemperature = 0.07;

    [Fact]
    public void Targets_WithoutCorrection_AreTeacherSoftmaxRestrictedToNovelClasses()
    {
        using var scope = NewDisposeScope();
        var targets = DistillationLoss.Targets(TensorFactory.Matrix(Logits), TeacherTemperature, BaseClasses, null);

        for (var r = 0; r < Logits.Length; r++)
        {
            var expected = ReferenceMath.DistillTarget(Logits[r], TeacherTemperature, BaseClasses, 0.0);
            Assert.Equal(0.0, targets[r, 0].item<double>());
            for (var c = 0; c < 4; c++)
            {
                Assert.Equal(expected[c], targets[r, c].item<double>(), 10);
            }
        }
    }

    [Fact]
    public void Targets_ZeroWeight_EqualRestrictedTeacherSoftmax()
    {
        using var scope = NewDisposeScope();
        var weights = tensor(new double[] { 0, 0, 0, 0 }, dtype: ScalarType.Float64);
        var corrected = DistillationLoss.Targets(TensorFactory.Matrix(Logits), TeacherTemperature, BaseClasses, weights);
        var plain = DistillationLoss.Targets(TensorFactory.Matrix(Logits), TeacherTemperature, BaseClasses, null);

        Assert.True(corrected.allclose(plain, rtol: 0, atol: 1e-12));
    }

    [Fact]
    public void Targets_HalfWeight_MixHalfOneHotAtFirstNovelClass()
    {
        using var scope = NewDisposeScope();
        var weights = tensor(new double[] { 0.5, 0.5, 0.5, 0.5 }, dtype: ScalarType.Float64);
        var targets = DistillationLoss.Targets(TensorFactory.Matrix(Logits), TeacherTemperature, BaseClasses, weights);

        for (var r = 0; r < Logits.Length; r++)
        {
            var restricted = ReferenceMath.DistillTarget(Logits[r], TeacherTemperature, BaseClasses, 0.0);
            Assert.Equal(0.5 + 0.5 * restricted[1], targets[r, 1].item<double>(), 10);
            Assert.Equal(0.5 * restricted[2], targets[r, 2].item<double>(), 10);
            Assert.Equal(1.0, targets[r].sum().item<double>(), 10);
        }
    }

    [Fact]
    public void Targets_UnitWeight_AreOneHotAtFirstNovelClass()
    {
        using var scope = NewDisposeScope();
        var weights = tensor(new double[] { 1, 1, 1, 1 }, dtype: ScalarType.Float64);
        var targets = DistillationLoss.Targets(TensorFactory.Matrix(Logits), TeacherTemperature, BaseClasses, weights);

        var expectedRow = new[] { 0.0, 1.0, 0.0, 0.0 };
        for (var r = 0; r < Logits.Length; r++)
        {
            Assert.Equal(expectedRow, targets[r].data<double>().ToArray());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Distill_CrossViewHalfSum_MatchesHandComputedValue(bool withCorrection)
    {
        using var scope = NewDisposeScope();
        // Per-sample weights as in §9.1 (w2 = [w, w]): sample 0 gets 0.3, sample 1 gets 0.
        var weights = withCorrection ? new[] { 0.3, 0.0, 0.3, 0.0 } : new[] { 0.0, 0.0, 0.0, 0.0 };
        var weightTensor = withCorrection ? tensor(weights, dtype: ScalarType.Float64) : null;
        var logits = TensorFactory.Matrix(Logits);

        var loss = DistillationLoss.Compute(logits, logits, TeacherTemperature, BaseClasses, weightTensor).item<double>();

        var expected = ReferenceMath.Distill(Logits, TeacherTemperature, BaseClasses, weights, 0.1);
        Assert.Equal(expected, loss, 9);
    }

    [Fact]
    public void Distill_TeacherIsDetached_GradientOnlyThroughStudent()
    {
        using var scope = NewDisposeScope();
        var logits = TensorFactory.Matrix(Logits).requires_grad_(true);

        var viaSamePass = DistillationLoss.Compute(logits, logits, TeacherTemperature, BaseClasses);
        viaSamePass.backward();
        var gradSamePass = logits.grad!.clone();

        var logitsCopy = TensorFactory.Matrix(Logits).requires_grad_(true);
        var constantTeacher = TensorFactory.Matrix(Logits);
        DistillationLoss.Compute(logitsCopy, constantTeacher, TeacherTemperature, BaseClasses).backward();

        Assert.True(gradSamePass.allclose(logitsCopy.grad!, rtol: 0, atol: 1e-12));
    }
}
