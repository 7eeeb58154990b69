using static TorchSharp.torch;

namespace AnomalyNcd.Core.Detection;

/// <summary>
/// Greedy k-center coreset selection as in PatchCore: start from one seeded patch, then repeatedly add the patch
/// farthest from everything chosen so far. Distances are taken after a seeded Gaussian random projection to a few
/// dimensions (Johnson–Lindenstrauss), which keeps the selection cheap while roughly preserving distances.
/// </summary>
/// <remarks>
/// Cost is O(n·k·p) for n patches, k chosen, p projected dimensions, and every step streams the n×p projection through
/// memory: fine for thousands of images on a GPU, minutes for hundreds of thousands of patches on a CPU.
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
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var data = tensor(vectors, [rows, dimension]);
        var projected = projectionDimension < dimension
            ? data.matmul(tensor(GaussianMatrix(random, dimension, projectionDimension), [dimension, projectionDimension]))
            : data;

        var chosen = new int[count];
        chosen[0] = random.Next(rows);
        var nearest = SquaredDistances(projected, chosen[0]);
        for (var k = 1; k < count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var step = NewDisposeScope();
            var farthest = (int)nearest.argmax().item<long>();
            chosen[k] = farthest;
            nearest = minimum(nearest, SquaredDistances(projected, farthest)).MoveToOuterDisposeScope();
            if (k % 256 == 0)
            {
                progress?.Report(new Common.ProgressUpdate("coreset", k, count));
            }
        }

        progress?.Report(new Common.ProgressUpdate("coreset", count, count));
        var radius = Math.Sqrt(Math.Max(0, nearest.max().item<float>()));
        return (chosen, radius);
    }

    private static Tensor SquaredDistances(Tensor projected, int row)
    {
        var difference = projected - projected[row];
        return difference.mul(difference).sum(1);
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
