using AnomalyNcd.Analytics.Clustering;

namespace AnomalyNcd.Analytics.Tests.Clustering;

public class LinearAssignmentTests
{
    [Fact]
    public void Minimize_SquareTextbookMatrix_FindsOptimum()
    {
        double[,] cost =
        {
            { 4, 1, 3 },
            { 2, 0, 5 },
            { 3, 2, 2 },
        };

        var assignment = LinearAssignment.Minimize(cost);

        Assert.Equal([1, 0, 2], assignment);
    }

    [Fact]
    public void Maximize_MoreRowsThanColumns_LeavesCheapestRowsOut()
    {
        double[,] gain =
        {
            { 1, 0 },
            { 9, 0 },
            { 0, 5 },
            { 0, 4 },
        };

        var assignment = LinearAssignment.Maximize(gain);

        Assert.Equal([-1, 0, 1, -1], assignment);
    }

    [Fact]
    public void Minimize_EmptyMatrix_AssignsNothing()
    {
        Assert.Empty(LinearAssignment.Minimize(new double[0, 3]));
        Assert.Equal([-1, -1], LinearAssignment.Minimize(new double[2, 0]));
    }

    [Fact]
    public void Minimize_NonFiniteCost_Throws()
    {
        Assert.Throws<ArgumentException>(() => LinearAssignment.Minimize(new double[,] { { 1, double.NaN } }));
    }

    [Fact]
    public void Minimize_RandomRectangularMatrices_MatchesBruteForce()
    {
        var random = new Random(20250417);
        for (var trial = 0; trial < 400; trial++)
        {
            var rows = random.Next(1, 7);
            var cols = random.Next(1, 7);
            var cost = new double[rows, cols];
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < cols; c++)
                {
                    // Small integer range forces many ties; occasional negatives exercise the potentials.
                    cost[r, c] = random.Next(-3, 10);
                }
            }

            var assignment = LinearAssignment.Minimize(cost);

            AssertValidAssignment(assignment, rows, cols);
            var total = 0.0;
            for (var r = 0; r < rows; r++)
            {
                total += assignment[r] >= 0 ? cost[r, assignment[r]] : 0;
            }

            Assert.Equal(BruteForceMinimum(cost), total);
        }
    }

    private static void AssertValidAssignment(int[] assignment, int rows, int cols)
    {
        Assert.Equal(rows, assignment.Length);
        var used = assignment.Where(c => c >= 0).ToList();
        Assert.Equal(Math.Min(rows, cols), used.Count);
        Assert.Equal(used.Count, used.Distinct().Count());
        Assert.All(used, c => Assert.InRange(c, 0, cols - 1));
    }

    /// <summary>Minimum over every injection of the smaller side into the larger one.</summary>
    private static double BruteForceMinimum(double[,] cost)
    {
        var rows = cost.GetLength(0);
        var cols = cost.GetLength(1);
        var transpose = rows > cols;
        var small = Math.Min(rows, cols);
        var large = Math.Max(rows, cols);
        var best = double.PositiveInfinity;
        var chosen = new int[small];
        var taken = new bool[large];

        void Search(int depth, double sum)
        {
            if (depth == small)
            {
                best = Math.Min(best, sum);
                return;
            }

            for (var j = 0; j < large; j++)
            {
                if (taken[j])
                {
                    continue;
                }

                taken[j] = true;
                chosen[depth] = j;
                Search(depth + 1, sum + (transpose ? cost[j, depth] : cost[depth, j]));
                taken[j] = false;
            }
        }

        Search(0, 0);
        return best;
    }
}
