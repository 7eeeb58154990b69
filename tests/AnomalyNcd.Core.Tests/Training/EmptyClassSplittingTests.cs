using AnomalyNcd.Core.Training;

namespace AnomalyNcd.Core.Tests.Training;

public class EmptyClassSplittingTests
{
    [Fact]
    public void Plan_EmptyClass_TakesHalfOfTheClassThatHoldsTwoGroups()
    {
        // Class 1: one tight group; class 2: two groups far apart (two kinds in one class); class 3: empty; class 0: normal.
        var points = new List<double[]>();
        var winners = new List<int>();
        Add(points, winners, 0, [0, 0, 1], 10);
        Add(points, winners, 1, [1, 0, 0], 20);
        Add(points, winners, 2, [0, 1, 0], 20);
        Add(points, winners, 2, [0, -1, 0], 12);

        var plan = EmptyClassSplitting.Plan([.. winners], classes: 4, () => [.. points], new Random(1));

        Assert.Equal(2, plan.Count);
        Assert.Equal(2, plan[0].Class);
        Assert.Equal(3, plan[1].Class);
        // One centre on each group of class 2.
        var ys = plan.Select(p => p.Centre[1]).OrderBy(y => y).ToArray();
        Assert.InRange(ys[0], -1.05, -0.95);
        Assert.InRange(ys[1], 0.95, 1.05);
    }

    [Fact]
    public void Plan_NoClassEmpty_SetsNothingAndReadsNoFeatures()
    {
        int[] winners = [0, 1, 1, 2, 2, 3];

        var plan = EmptyClassSplitting.Plan(winners, classes: 4, () => throw new InvalidOperationException("features read"), new Random(1));

        Assert.Empty(plan);
    }

    [Fact]
    public void Plan_TheDesignatedNormalClass_IsNeitherRefilledNorSplit()
    {
        // Class 0 (normal) is empty and class 1 holds two groups: nothing to do. Then class 0 holds two groups and
        // class 2 is empty: only class 1 is split.
        var points = new List<double[]>();
        var winners = new List<int>();
        Add(points, winners, 1, [1, 0, 0], 15);
        Add(points, winners, 1, [-1, 0, 0], 15);
        Add(points, winners, 2, [0, 1, 0], 15);
        Assert.Empty(EmptyClassSplitting.Plan([.. winners], classes: 3, () => [.. points], new Random(2)));

        var points2 = new List<double[]>();
        var winners2 = new List<int>();
        Add(points2, winners2, 0, [1, 0, 0], 30);
        Add(points2, winners2, 0, [-1, 0, 0], 30);
        Add(points2, winners2, 1, [0, 1, 0], 10);
        Add(points2, winners2, 1, [0, 0.9, 0.1], 10);
        var plan = EmptyClassSplitting.Plan([.. winners2], classes: 3, () => [.. points2], new Random(3));
        Assert.Equal([1, 2], plan.Select(p => p.Class));
    }

    [Fact]
    public void Plan_AClassBelowOnePercent_CountsAsEmpty()
    {
        var points = new List<double[]>();
        var winners = new List<int>();
        Add(points, winners, 1, [1, 0, 0], 150);
        Add(points, winners, 2, [0, 1, 0], 100);
        Add(points, winners, 2, [0, -1, 0], 100);
        Add(points, winners, 3, [0, 0, 1], 3); // 3 of 353 < 1 %

        var plan = EmptyClassSplitting.Plan([.. winners], classes: 4, () => [.. points], new Random(4));

        Assert.Equal([2, 3], plan.Select(p => p.Class));
    }

    [Theory]
    [InlineData(4, 30, true)]
    [InlineData(9, 30, true)]
    [InlineData(14, 30, true)]
    [InlineData(19, 30, false)]
    [InlineData(3, 30, false)]
    [InlineData(4, 8, false)]
    public void DueAfter_EveryFifthEpochInTheFirstHalf(int epoch, int epochs, bool due) =>
        Assert.Equal(due, EmptyClassSplitting.DueAfter(epoch, epochs));

    private static void Add(List<double[]> points, List<int> winners, int winner, double[] at, int count)
    {
        for (var i = 0; i < count; i++)
        {
            // A small deterministic offset per point, so the group has spread but stays apart from the others.
            points.Add([at[0] + (0.01 * (i % 3)), at[1] + (0.01 * (i % 5)), at[2]]);
            winners.Add(winner);
        }
    }
}
