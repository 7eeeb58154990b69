using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Detection;

/// <summary>
/// The reduction both shortlist searches rank the bank with: every vector becomes its coordinates on the bank's leading
/// principal axes plus the length of what is left over, so distances between reduced vectors never exceed the true ones.
/// </summary>
internal sealed class BankProjection : IDisposable
{
    private readonly Tensor mean;
    private readonly Tensor axes;

    private BankProjection(Tensor mean, Tensor axes, int dimension, int axisCount)
    {
        this.mean = mean;
        this.axes = axes;
        Dimension = dimension;
        AxisCount = axisCount;
    }

    public int Dimension { get; }

    /// <summary>Principal axes kept; reduced vectors have one more coordinate (the residual length).</summary>
    public int AxisCount { get; }

    /// <summary>Fits the axes on a bank ([rows, dimension], row-major) and gives its reduced rows (owned by the caller).</summary>
    public static BankProjection Fit(float[] bankVectors, int dimension, int axisCount, out Tensor reducedBank)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var bank = tensor(bankVectors, [bankVectors.Length / dimension, dimension]);
        var bankMean = bank.mean([0], keepdim: true);
        var centred = bank - bankMean;
        // Eigenvectors of the scatter matrix, ascending by eigenvalue: the last columns are the leading axes.
        var (_, vectors) = linalg.eigh(centred.t().matmul(centred));
        var leading = vectors.narrow(1, dimension - axisCount, axisCount).contiguous();
        reducedBank = Reduce(centred, leading).MoveToOuterDisposeScope();
        return new BankProjection(bankMean.MoveToOuterDisposeScope(), leading.MoveToOuterDisposeScope(), dimension, axisCount);
    }

    /// <summary>Reduced query rows, [rows, AxisCount + 1].</summary>
    public Tensor Reduce(Tensor queries) => Reduce(queries - mean, axes);

    /// <summary>Reduced query rows, row-major (the reference the blocked search's own reduction is checked against).</summary>
    public float[] Reduce(float[] queries)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var query = tensor(queries, [queries.Length / Dimension, Dimension]);
        return MemoryMarshal.Cast<byte, float>(Reduce(query).contiguous().bytes).ToArray();
    }

    // Both tensors are contiguous (a mean kept as a row, axes made contiguous in Fit), so their bytes are the values.

    /// <summary>The bank mean, [Dimension].</summary>
    public float[] MeanVector() => MemoryMarshal.Cast<byte, float>(mean.bytes).ToArray();

    /// <summary>The axes' coordinates, [Dimension][AxisCount]: a row per input dimension.</summary>
    public ReadOnlySpan<float> AxesByDimension() => MemoryMarshal.Cast<byte, float>(axes.bytes);

    public void Dispose()
    {
        mean.Dispose();
        axes.Dispose();
    }

    private static Tensor Reduce(Tensor centred, Tensor leading)
    {
        var projected = centred.matmul(leading);
        var residual = centred.mul(centred).sum(1, keepdim: true).Minus(projected.mul(projected).sum(1, keepdim: true)).AtLeast(0).sqrt();
        return cat([projected, residual], 1);
    }
}
