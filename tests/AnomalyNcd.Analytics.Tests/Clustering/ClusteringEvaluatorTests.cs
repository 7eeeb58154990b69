using AnomalyNcd.Analytics.Clustering;

namespace AnomalyNcd.Analytics.Tests.Clustering;

public class ClusteringEvaluatorTests
{
    private const int Digits = 6;

    [Fact]
    public void Evaluate_SpecVector7_MatchesOfficialCode()
    {
        var metrics = ClusteringEvaluator.Evaluate([4, 4, 5, 5, 6], [7, 7, 4, 4, 4]);

        Assert.Equal(0.778979, metrics.Nmi, Digits);
        Assert.Equal(0.545455, metrics.Ari, Digits);
        Assert.Equal(0.8, metrics.F1, 12);
        Assert.Equal(5, metrics.N);
        Assert.Contains(new ClusterAssignment("7", "4", 2, 2), metrics.Mapping);
        Assert.Contains(new ClusterAssignment("4", "5", 3, 2), metrics.Mapping);
    }

    [Fact]
    public void Evaluate_SpecVector7_PerClassAndMacroF1()
    {
        var metrics = ClusteringEvaluator.Evaluate([4, 4, 5, 5, 6], [7, 7, 4, 4, 4]);

        // 4: cluster 7 (2/2) -> P 1, R 1; 5: cluster 4 (2 of 3) -> P 2/3, R 1, F1 0.8; 6: unmatched -> 0.
        Assert.Equal(["4", "5", "6"], metrics.PerClass.Select(s => s.Class));
        Assert.Equal(1.0, metrics.PerClass[0].F1, 12);
        Assert.Equal(2.0 / 3.0, metrics.PerClass[1].Precision, 12);
        Assert.Equal(1.0, metrics.PerClass[1].Recall, 12);
        Assert.Equal(0.8, metrics.PerClass[1].F1, 12);
        Assert.Equal(new ClassScores("6", 1, 0, 0, 0, 0, 0), metrics.PerClass[2]);
        Assert.Equal(1.8 / 3.0, metrics.MacroF1, 12);
    }

    [Fact]
    public void Evaluate_PerfectClustering_AllOne()
    {
        string[] labels = ["a", "a", "b", "b", "c"];

        var metrics = ClusteringEvaluator.Evaluate(labels, labels);

        Assert.Equal(1.0, metrics.Nmi, 12);
        Assert.Equal(1.0, metrics.Ari, 12);
        Assert.Equal(1.0, metrics.F1, 12);
        Assert.Equal(1.0, metrics.MacroF1, 12);
    }

    [Fact]
    public void Evaluate_PermutedClusterNames_StillAllOne()
    {
        var metrics = ClusteringEvaluator.Evaluate(["a", "a", "b", "b", "c"], ["z", "z", "x", "x", "y"]);

        Assert.Equal(1.0, metrics.Nmi, 12);
        Assert.Equal(1.0, metrics.Ari, 12);
        Assert.Equal(1.0, metrics.F1, 12);
        Assert.Equal(1.0, metrics.MacroF1, 12);
        Assert.Contains(new ClusterAssignment("z", "a", 2, 2), metrics.Mapping);
        Assert.Contains(new ClusterAssignment("y", "c", 1, 1), metrics.Mapping);
    }

    [Fact]
    public void Evaluate_EverythingInOneCluster_ZeroNmiAriAndMajorityShare()
    {
        var metrics = ClusteringEvaluator.Evaluate(["a", "a", "a", "b", "b"], ["k", "k", "k", "k", "k"]);

        Assert.Equal(0.0, metrics.Nmi);
        Assert.Equal(0.0, metrics.Ari, 12);
        Assert.Equal(0.6, metrics.F1, 12);
        // a: P 3/5, R 1 -> F1 0.75; b: nothing predicted -> 0.
        Assert.Equal(0.375, metrics.MacroF1, 12);
    }

    [Fact]
    public void Evaluate_MoreClustersThanClasses_CountsUnmatchedClusterAsWrong()
    {
        var metrics = ClusteringEvaluator.Evaluate(["a", "a", "a", "a", "b", "b"], ["1", "1", "2", "2", "3", "3"]);

        Assert.Equal(4.0 / 6.0, metrics.F1, 12);
        var unmatched = Assert.Single(metrics.Mapping, m => m.MatchedClass is null);
        Assert.Equal(2, unmatched.Size);
        Assert.Equal(0, unmatched.Correct);
        Assert.Equal(new ClusterAssignment("3", "b", 2, 2), metrics.Mapping[2]);
    }

    [Fact]
    public void Evaluate_SampleOrder_DoesNotChangeResult()
    {
        string[] truth = ["a", "b", "a", "c", "b", "a", "c"];
        string[] predicted = ["p", "q", "q", "r", "q", "p", "p"];
        var order = new[] { 6, 2, 4, 0, 5, 1, 3 };

        var first = ClusteringEvaluator.Evaluate(truth, predicted);
        var shuffled = ClusteringEvaluator.Evaluate(order.Select(i => truth[i]).ToArray(), order.Select(i => predicted[i]).ToArray());

        Assert.Equal(first.Nmi, shuffled.Nmi, 12);
        Assert.Equal(first.Ari, shuffled.Ari, 12);
        Assert.Equal(first.F1, shuffled.F1, 12);
        Assert.Equal(first.Mapping, shuffled.Mapping);
    }

    [Fact]
    public void AdjustedRandIndex_SklearnDocumentationExample()
    {
        // sklearn docs: adjusted_rand_score([0, 0, 1, 2], [0, 0, 1, 1]) == 0.57 (exactly 4/7).
        var table = ContingencyTable.FromLabels([0, 0, 1, 2], [0, 0, 1, 1]);

        Assert.Equal(4.0 / 7.0, ClusteringEvaluator.AdjustedRandIndex(table), 12);
    }

    [Fact]
    public void AdjustedRandIndex_CrossedLabelings_IsNegative()
    {
        var table = ContingencyTable.FromLabels([0, 0, 1, 1], [0, 1, 0, 1]);

        Assert.Equal(-0.5, ClusteringEvaluator.AdjustedRandIndex(table), 12);
    }

    [Fact]
    public void AdjustedRandIndex_BothAllSingletons_IsOne()
    {
        var table = ContingencyTable.FromLabels(["a", "b", "c"], ["x", "y", "z"]);

        Assert.Equal(1.0, ClusteringEvaluator.AdjustedRandIndex(table));
    }

    [Fact]
    public void AdjustedRandIndexAndNmi_BothSingleCluster_AreOne()
    {
        var table = ContingencyTable.FromLabels(["a", "a", "a"], ["x", "x", "x"]);

        Assert.Equal(1.0, ClusteringEvaluator.AdjustedRandIndex(table));
        Assert.Equal(1.0, ClusteringEvaluator.NormalizedMutualInformation(table));
    }

    [Fact]
    public void AdjustedRandIndexAndNmi_OneClassSplitIntoSingletons_AreZero()
    {
        var table = ContingencyTable.FromLabels(["a", "a", "a"], ["x", "y", "z"]);

        Assert.Equal(0.0, ClusteringEvaluator.AdjustedRandIndex(table), 12);
        Assert.Equal(0.0, ClusteringEvaluator.NormalizedMutualInformation(table));
    }

    [Fact]
    public void Evaluate_EmptyInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => ClusteringEvaluator.Evaluate(Array.Empty<string>(), Array.Empty<string>()));
    }

    [Fact]
    public void ContingencyTable_LengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => ContingencyTable.FromLabels(["a"], ["a", "b"]));
    }

    [Fact]
    public void ContingencyTable_IntegerLabels_SortNumerically()
    {
        var table = ContingencyTable.FromLabels([10, 9, 2], [1, 1, 1]);

        Assert.Equal(["2", "9", "10"], table.Classes);
        Assert.Equal([1, 1, 1], table.ClassSizes);
        Assert.Equal([3], table.ClusterSizes);
    }
}
