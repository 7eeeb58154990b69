using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class ClassQualityTests
{
    [Fact]
    public void From_CountsDecisionsAndBinsConfidencesPerPredictedClass()
    {
        var outcomes = Outcomes.Of("c1", OperatorVerdict.Kept, 3, 0.95)
            .Concat(Outcomes.Of("c1", OperatorVerdict.Moved, 1, 1.0))
            .Concat(Outcomes.Of("c1", OperatorVerdict.Undecided, 2, 0.05))
            .Concat(Outcomes.Of("c2", OperatorVerdict.Rejected, 1, 0.55))
            .ToList();

        var classes = ClassQuality.From(outcomes);

        Assert.Equal(["c1", "c2"], classes.Select(c => c.ClassId));
        var c1 = classes[0];
        Assert.Equal((6, 3, 1, 0, 2, 4), (c1.Count, c1.Kept, c1.Moved, c1.Rejected, c1.Undecided, c1.Decided));
        Assert.Equal([2, 0, 0, 0, 0, 0, 0, 0, 0, 4], c1.ConfidenceHistogram);
        Assert.Equal(0.75, c1.KeptShare, 9);
        Assert.Equal(0.25, c1.MovedShare, 9);
        Assert.Equal(1, classes[1].ConfidenceHistogram[5]);
        Assert.Equal(1.0, classes[1].RejectedShare, 9);
    }

    [Fact]
    public void Shares_WithNothingDecided_AreZero()
    {
        var c = Assert.Single(ClassQuality.From(Outcomes.Of("c1", OperatorVerdict.Undecided, 3)));

        Assert.Equal(0, c.KeptShare);
        Assert.Equal(3, c.CountOf(OperatorVerdict.Undecided));
    }
}
