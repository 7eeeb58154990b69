using TorchSharp;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Detection;

/// <summary>
/// Patch distances of a training image to the memory bank without the bank rows that came from that image: the
/// score the image would get as an unseen normal image. Exact search (one product per image), used only at fit time
/// on the held-out calibration images.
/// </summary>
internal sealed class LeaveOneOutScorer : IDisposable
{
    private readonly Tensor bank;
    private readonly Tensor bankNorms;
    private readonly int[] origins;
    private readonly int dimension;

    /// <param name="bankVectors">The bank, [rows, dimension] row-major.</param>
    /// <param name="origins">For each bank row, the index of the training image it came from.</param>
    public LeaveOneOutScorer(float[] bankVectors, int dimension, int[] origins)
    {
        this.dimension = dimension;
        this.origins = origins;
        bank = tensor(bankVectors, [origins.Length, dimension]);
        bankNorms = bank.mul(bank).sum(1);
    }

    /// <summary>Distance of each patch of training image <paramref name="image"/> to its nearest bank row of another image.</summary>
    public float[] Distances(float[] patches, int image)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var rows = patches.Length / dimension;
        var query = tensor(patches, [rows, dimension]);
        var squared = query.mul(query).sum(1, keepdim: true) + bankNorms.unsqueeze(0) - (2 * query.matmul(bank.t()));
        var own = origins.Select(o => o == image).ToArray();
        if (own.Any(x => x))
        {
            squared = squared.masked_fill(tensor(own).unsqueeze(0), float.PositiveInfinity);
        }

        return squared.amin(1).clamp_min(0).sqrt().data<float>().ToArray();
    }

    public void Dispose()
    {
        bank.Dispose();
        bankNorms.Dispose();
    }
}
