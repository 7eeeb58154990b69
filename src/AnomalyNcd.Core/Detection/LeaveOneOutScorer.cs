namespace AnomalyNcd.Core.Detection;

/// <summary>
/// Patch distances of a training image to the memory bank without the bank rows that came from that image: the
/// score the image would get as an unseen normal image. <see cref="ExactSearch"/> with those rows left out, used only
/// at fit time on the held-out calibration images.
/// </summary>
internal sealed class LeaveOneOutScorer : IDisposable
{
    private readonly ExactSearch search;
    private readonly int[] origins;

    /// <param name="bankVectors">The bank, [rows, dimension] row-major.</param>
    /// <param name="origins">For each bank row, the index of the training image it came from.</param>
    public LeaveOneOutScorer(float[] bankVectors, int dimension, int[] origins)
    {
        search = new ExactSearch(bankVectors, dimension);
        if (origins.Length != search.Count)
        {
            search.Dispose();
            throw new ArgumentException($"{origins.Length} origins for a bank of {search.Count} rows", nameof(origins));
        }

        this.origins = origins;
    }

    /// <summary>Distance of each patch of training image <paramref name="image"/> to its nearest bank row of another image.</summary>
    public float[] Distances(float[] patches, int image) => search.Distances(patches, [.. origins.Select(o => o == image)]);

    public void Dispose() => search.Dispose();
}
