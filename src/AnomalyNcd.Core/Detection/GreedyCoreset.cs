using static TorchSharp.torch;

namespace AnomalyNcd.Core.Detection;

/// <summary>
/// Greedy k-center coreset selection as in PatchCore: start from one seeded patch, then repeatedly add the patch
/// farthest from everything chosen so far. Distances are taken after a seeded Gaussian random projection to a few
/// dimensions (Johnson–Lindenstrauss), which keeps the selection cheap while roughly preserving distances.
/// </summary>
/// <remarks>
/// Cost is O(n·k·p) for n patches, k chosen, p projected dimensions; every step streams the n×p projection through
/// memory once (a fused C# SIMD pass over all cores: distance, running minimum and arg-max together).
/// </remarks>
public static class GreedyCoreset
{
    /// <summary>Indices (in selection order) of <paramref name="count"/> rows of <paramref name="vectors"/> [n, dimension].</summary>
    /// <returns>The indices and the covering radius: the largest distance (in the projection) from any row to its nearest chosen row.</returns>
    public static (int[] Indices, double CoveringRadius) Select(
        float[] vectors,
        int dimension,
        int count,
        int projectionDimension,
        int seed,
        IProgress<Common.ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        var rows = vectors.Length / dimension;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        count = Math.Clamp(count, 1, rows);

        var random = new Random(seed);
        var projected = Project(vectors, rows, dimension, projectionDimension, random, out var width);

        var chosen = new int[count];
        chosen[0] = random.Next(rows);
        var nearest = new float[rows];
        Array.Fill(nearest, float.PositiveInfinity);
        var farthest = UpdateNearest(projected, width, nearest, chosen[0]);
        for (var k = 1; k < count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            chosen[k] = farthest;
            farthest = UpdateNearest(projected, width, nearest, farthest);
            if (k % 256 == 0)
            {
                progress?.Report(new Common.ProgressUpdate("coreset", k, count));
            }
        }

        progress?.Report(new Common.ProgressUpdate("coreset", count, count));
        return (chosen, Math.Sqrt(Math.Max(0, nearest[farthest])));
    }

    /// <summary>Rows times a seeded Gaussian matrix (TorchSharp matmul), or the rows themselves when no reduction is asked.</summary>
    private static float[] Project(float[] vectors, int rows, int dimension, int projectionDimension, Random random, out int width)
    {
        if (projectionDimension >= dimension)
        {
            width = dimension;
            return vectors;
        }

        width = projectionDimension;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var data = tensor(vectors, [rows, dimension]);
        var matrix = tensor(GaussianMatrix(random, dimension, projectionDimension), [dimension, projectionDimension]);
        return data.matmul(matrix).data<float>().ToArray();
    }

    /// <summary>
    /// One fused pass: lowers every row's distance-to-coreset with its distance to <paramref name="centre"/> and returns
    /// the row now farthest from the coreset. One pass over memory per step is what bounds the speed on a CPU.
    /// </summary>
    private static int UpdateNearest(float[] projected, int width, float[] nearest, int centre)
    {
        var rows = nearest.Length;
        var blocks = Math.Max(1, Math.Min(Environment.ProcessorCount * 4, rows / 4096));
        var bestRow = new int[blocks];
        var bestValue = new float[blocks];
        Parallel.For(0, blocks, block =>
        {
            var from = (int)((long)rows * block / blocks);
            var to = (int)((long)rows * (block + 1) / blocks);
            var centreValues = new ReadOnlySpan<float>(projected, centre * width, width);
            var localRow = from;
            var localValue = float.NegativeInfinity;
            for (var row = from; row < to; row++)
            {
                var distance = CandidateRefinement.SquaredDistance(new ReadOnlySpan<float>(projected, row * width, width), centreValues);
                var current = Math.Min(nearest[row], distance);
                nearest[row] = current;
                if (current > localValue)
                {
                    localValue = current;
                    localRow = row;
                }
            }

            bestRow[block] = localRow;
            bestValue[block] = localValue;
        });

        var best = 0;
        for (var block = 1; block < blocks; block++)
        {
            if (bestValue[block] > bestValue[best])
            {
                best = block;
            }
        }

        return bestRow[best];
    }

    /// <summary>Entries drawn from N(0, 1/p) by Box–Muller, so the projection is the same on every platform.</summary>
    private static float[] GaussianMatrix(Random random, int rows, int columns)
    {
        var values = new float[rows * columns];
        var scale = 1.0 / Math.Sqrt(columns);
        for (var i = 0; i < values.Length; i++)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = (float)(scale * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }

        return values;
    }
}
