namespace AnomalyNcd.Analytics.Clustering;

/// <summary>
/// Rectangular linear assignment (Hungarian method in the Jonker–Volgenant shortest-augmenting-path
/// form with dual potentials), O(r²·c) for r = min(rows, cols) and c = max(rows, cols).
/// Every row of the smaller side is assigned to a distinct element of the larger side.
/// </summary>
public static class LinearAssignment
{
    /// <summary>Assignment that minimises the summed cost.</summary>
    /// <returns>For each row the assigned column, or -1 when the row is left out (rows &gt; columns).</returns>
    public static int[] Minimize(double[,] cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        var rows = cost.GetLength(0);
        var cols = cost.GetLength(1);
        foreach (var value in cost)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentException("cost matrix holds a non-finite value", nameof(cost));
            }
        }

        var result = new int[rows];
        Array.Fill(result, -1);
        if (rows == 0 || cols == 0)
        {
            return result;
        }

        if (rows <= cols)
        {
            var columnOfRow = SolveWide(rows, cols, (r, c) => cost[r, c]);
            Array.Copy(columnOfRow, result, rows);
            return result;
        }

        // More rows than columns: solve the transposed problem so that the smaller side is the one fully assigned.
        var rowOfColumn = SolveWide(cols, rows, (r, c) => cost[c, r]);
        for (var c = 0; c < cols; c++)
        {
            result[rowOfColumn[c]] = c;
        }

        return result;
    }

    /// <summary>Assignment that maximises the summed gain (e.g. matched counts of a contingency table).</summary>
    public static int[] Maximize(double[,] gain)
    {
        ArgumentNullException.ThrowIfNull(gain);
        var negated = new double[gain.GetLength(0), gain.GetLength(1)];
        for (var r = 0; r < gain.GetLength(0); r++)
        {
            for (var c = 0; c < gain.GetLength(1); c++)
            {
                negated[r, c] = -gain[r, c];
            }
        }

        return Minimize(negated);
    }

    /// <summary>
    /// Core solver for n ≤ m. Rows are added one at a time; each addition grows a Dijkstra-like tree of
    /// tight edges over reduced costs until it reaches a free column, then flips the augmenting path.
    /// Index 0 of the column arrays is a virtual column holding the row being inserted.
    /// </summary>
    private static int[] SolveWide(int n, int m, Func<int, int, double> cost)
    {
        var rowPotential = new double[n + 1];
        var columnPotential = new double[m + 1];
        var rowOfColumn = new int[m + 1]; // 1-based row index, 0 = free
        var previousColumn = new int[m + 1];
        var slack = new double[m + 1];
        var visited = new bool[m + 1];

        for (var row = 1; row <= n; row++)
        {
            rowOfColumn[0] = row;
            var currentColumn = 0;
            Array.Fill(slack, double.PositiveInfinity);
            Array.Clear(visited);
            do
            {
                visited[currentColumn] = true;
                var currentRow = rowOfColumn[currentColumn];
                var delta = double.PositiveInfinity;
                var nextColumn = 0;
                for (var column = 1; column <= m; column++)
                {
                    if (visited[column])
                    {
                        continue;
                    }

                    var reduced = cost(currentRow - 1, column - 1) - rowPotential[currentRow] - columnPotential[column];
                    if (reduced < slack[column])
                    {
                        slack[column] = reduced;
                        previousColumn[column] = currentColumn;
                    }

                    if (slack[column] < delta)
                    {
                        delta = slack[column];
                        nextColumn = column;
                    }
                }

                for (var column = 0; column <= m; column++)
                {
                    if (visited[column])
                    {
                        rowPotential[rowOfColumn[column]] += delta;
                        columnPotential[column] -= delta;
                    }
                    else
                    {
                        slack[column] -= delta;
                    }
                }

                currentColumn = nextColumn;
            }
            while (rowOfColumn[currentColumn] != 0);

            // Flip the augmenting path back to the virtual column.
            do
            {
                var previous = previousColumn[currentColumn];
                rowOfColumn[currentColumn] = rowOfColumn[previous];
                currentColumn = previous;
            }
            while (currentColumn != 0);
        }

        var columnOfRow = new int[n];
        for (var column = 1; column <= m; column++)
        {
            if (rowOfColumn[column] != 0)
            {
                columnOfRow[rowOfColumn[column] - 1] = column - 1;
            }
        }

        return columnOfRow;
    }
}
