using AnomalyNcd.Core.Training;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Training;

public class SinkhornBalancingTests
{
    // Six rows, three classes; class 2 is never any row's most likely class, so a softmax teacher drains it.
    private static readonly double[][] Logits =
    {
        new[] { 0.9, 0.2, 0.1 },
        new[] { 0.8, 0.3, 0.2 },
        new[] { 0.7, 0.1, 0.3 },
        new[] { 0.1, 0.9, 0.4 },
        new[] { 0.2, 0.8, 0.5 },
        new[] { 0.3, 0.7, 0.6 },
    };

    private const double Temperature = 0.1;

    [Fact]
    public void Targets_RowsSumToOne_ClassTotalsNearEqualShares()
    {
        using var scope = NewDisposeScope();
        var targets = SinkhornBalancing.Targets(TensorFactory.Matrix(Logits), Temperature, iterations: 50);

        for (var r = 0; r < Logits.Length; r++)
        {
            Assert.Equal(1.0, targets[r].sum().item<double>(), 6);
        }

        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(2.0, targets[.., c].sum().item<double>(), 3);
        }
    }

    [Fact]
    public void Targets_ClassTheSoftmaxDrains_GetsItsShareOfRows()
    {
        using var scope = NewDisposeScope();
        var softmaxTotal = nn.functional.softmax(TensorFactory.Matrix(Logits) / Temperature, 1)[.., 2].sum().item<double>();
        var balanced = SinkhornBalancing.Targets(TensorFactory.Matrix(Logits), Temperature);

        Assert.True(softmaxTotal < 0.5, $"softmax gives class 2 a total of {softmaxTotal}");
        Assert.True(balanced[.., 2].sum().item<double>() > 1.5, $"Sinkhorn gives class 2 a total of {balanced[.., 2].sum().item<double>()}");
        // The rows with the highest class-2 logits take it: the last row more than the first.
        Assert.True(balanced[5, 2].item<double>() > balanced[0, 2].item<double>());
    }

    [Fact]
    public void Targets_EqualTheLoopReference()
    {
        using var scope = NewDisposeScope();
        var targets = SinkhornBalancing.Targets(TensorFactory.Matrix(Logits), Temperature);
        var expected = ReferenceSinkhorn(Logits, Temperature, SinkhornBalancing.DefaultIterations);

        for (var r = 0; r < Logits.Length; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                Assert.Equal(expected[r][c], targets[r, c].item<double>(), 10);
            }
        }
    }

    [Fact]
    public void Targets_FarApartLogits_StayFinite()
    {
        using var scope = NewDisposeScope();
        var extreme = new[] { new[] { 500.0, -500.0 }, new[] { 400.0, -300.0 } };
        var targets = SinkhornBalancing.Targets(TensorFactory.Matrix(extreme), 0.04);

        Assert.False(targets.isnan().any().item<bool>());
        Assert.Equal(2.0, targets.sum().item<double>(), 6);
    }

    [Fact]
    public void Targets_NonPositiveTemperature_Throws()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentOutOfRangeException>(() => SinkhornBalancing.Targets(TensorFactory.Matrix(Logits), 0));
    }

    [Fact]
    public void DistillationTargets_Sinkhorn_BalanceEachViewApartAndLeaveBaseClassesAtZero()
    {
        using var scope = NewDisposeScope();
        // Rows 0..5 view 0, rows 6..11 view 1 (the same logits); one base class in front of the three novel ones.
        var rows = Logits.Concat(Logits).Select(r => new[] { 2.0 }.Concat(r).ToArray()).ToArray();
        var targets = DistillationLoss.Targets(TensorFactory.Matrix(rows), Temperature, baseClassCount: 1, correctionWeights: null, TeacherTargets.Sinkhorn);
        var expected = ReferenceSinkhorn(Logits, Temperature, SinkhornBalancing.DefaultIterations);

        for (var r = 0; r < rows.Length; r++)
        {
            Assert.Equal(0.0, targets[r, 0].item<double>());
            for (var c = 0; c < 3; c++)
            {
                Assert.Equal(expected[r % Logits.Length][c], targets[r, c + 1].item<double>(), 10);
            }
        }
    }

    /// <summary>Sinkhorn-Knopp written out with loops: exp(l/ε), then alternately equal class totals and unit rows.</summary>
    private static double[][] ReferenceSinkhorn(double[][] logits, double epsilon, int iterations)
    {
        var n = logits.Length;
        var k = logits[0].Length;
        var q = logits.Select(row => row.Select(v => Math.Exp(v / epsilon)).ToArray()).ToArray();
        for (var i = 0; i < iterations; i++)
        {
            for (var c = 0; c < k; c++)
            {
                var total = q.Sum(row => row[c]);
                foreach (var row in q)
                {
                    row[c] /= total * k;
                }
            }

            foreach (var row in q)
            {
                var total = row.Sum();
                for (var c = 0; c < k; c++)
                {
                    row[c] /= total * n;
                }
            }
        }

        return q.Select(row => row.Select(v => v * n).ToArray()).ToArray();
    }
}
