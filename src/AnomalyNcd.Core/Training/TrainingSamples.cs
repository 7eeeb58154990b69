using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Training;

/// <summary>
/// What training needs per crop besides its tokens: the base-class label (−1 for unlabelled crops) and
/// the crop anomaly score that drives pseudo-label correction. Label −2 holds a crop out of training
/// (the inductive protocol assigns such crops afterwards).
/// </summary>
public sealed record TrainingSamples(IReadOnlyList<int> Labels, IReadOnlyList<double> Scores, int BaseClassCount)
{
    public const int Unlabelled = -1;
    public const int HeldOut = -2;

    /// <summary>
    /// Per crop: true for a crop without a region (an image whose mask is empty, cropped whole; method-spec B13); null
    /// when unknown (every crop counts as having one).
    /// </summary>
    public IReadOnlyList<bool>? Regionless { get; init; }

    public IReadOnlyList<int> LabelledIndices() => [.. Enumerable.Range(0, Labels.Count).Where(i => Labels[i] >= 0)];

    public IReadOnlyList<int> UnlabelledIndices() => [.. Enumerable.Range(0, Labels.Count).Where(i => Labels[i] == Unlabelled)];

    public void Validate(int bankCount)
    {
        if (Labels.Count != bankCount || Scores.Count != bankCount)
        {
            throw new ArgumentException($"{Labels.Count} labels and {Scores.Count} scores for {bankCount} crops");
        }

        if (Regionless is not null && Regionless.Count != bankCount)
        {
            throw new ArgumentException($"{Regionless.Count} region flags for {bankCount} crops");
        }

        if (UnlabelledIndices().Count == 0)
        {
            throw new InvalidInputException(null, "no unlabelled crops to discover classes in");
        }

        if (Labels.Any(l => l >= BaseClassCount))
        {
            throw new ArgumentException($"a base label is outside 0..{BaseClassCount - 1}");
        }
    }
}
