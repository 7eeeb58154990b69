using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Training.Data;

/// <summary>
/// The sample list of novel-class discovery (method-spec §7.1): labelled base crops first, then the
/// unlabelled novel crops. Class indices: ordinal-sorted base class names are 0..L-1, ordinal-sorted
/// ground-truth novel names (evaluation only) L..L+U-1. Owns the samples' images.
/// </summary>
public sealed class CropDataset : IDisposable
{
    private CropDataset(IReadOnlyList<string> baseClasses, IReadOnlyList<string> novelClasses, IReadOnlyList<CropSample> samples)
    {
        BaseClasses = baseClasses;
        NovelClasses = novelClasses;
        Samples = samples;
        LabelledIndices = Enumerable.Range(0, samples.Count).Where(i => samples[i].IsLabelled).ToArray();
        UnlabelledIndices = Enumerable.Range(0, samples.Count).Where(i => !samples[i].IsLabelled).ToArray();
    }

    /// <summary>Base class names in label order (L of them).</summary>
    public IReadOnlyList<string> BaseClasses { get; }

    /// <summary>Ground-truth novel class names known for evaluation, in index order L, L+1, ... (may be empty).</summary>
    public IReadOnlyList<string> NovelClasses { get; }

    public IReadOnlyList<CropSample> Samples { get; }

    public IReadOnlyList<int> LabelledIndices { get; }

    public IReadOnlyList<int> UnlabelledIndices { get; }

    public int Count => Samples.Count;

    /// <summary>
    /// Builds the dataset; takes ownership of the inputs' images. Refuses unlabelled base crops, a
    /// novel class named like a base class (labels would collide, spec B16) and an empty novel set.
    /// </summary>
    /// <param name="baseSource">File the base crops came from, named in errors (null for in-memory).</param>
    /// <param name="novelSource">File the novel crops came from, named in errors (null for in-memory).</param>
    public static CropDataset Create(
        IReadOnlyList<CropInput> baseCrops,
        IReadOnlyList<CropInput> novelCrops,
        string? baseSource = null,
        string? novelSource = null)
    {
        var unnamed = baseCrops.FirstOrDefault(c => string.IsNullOrWhiteSpace(c.ClassName));
        if (unnamed is not null)
        {
            throw new InvalidInputException(baseSource ?? unnamed.Origin, $"labelled crop '{unnamed.Origin}' has no class label");
        }

        if (novelCrops.Count == 0)
        {
            throw new InvalidInputException(novelSource, "no unlabelled crops: novel-class discovery needs at least one unlabelled crop");
        }

        var baseClasses = baseCrops.Select(c => c.ClassName!).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var novelClasses = novelCrops.Select(c => c.ClassName).OfType<string>().Where(n => n.Length > 0)
            .Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var collisions = novelClasses.Intersect(baseClasses, StringComparer.Ordinal).ToList();
        if (collisions.Count > 0)
        {
            throw new InvalidInputException(
                novelSource,
                $"novel class name(s) {string.Join(", ", collisions.Select(c => $"'{c}'"))} also name(s) a base class; rename one side so labels cannot collide");
        }

        var baseIndex = Index(baseClasses, 0);
        var novelIndex = Index(novelClasses, baseClasses.Count);
        var samples = new List<CropSample>(baseCrops.Count + novelCrops.Count);
        samples.AddRange(baseCrops.Select(c =>
        {
            var label = baseIndex[c.ClassName!];
            return new CropSample(c.Image, c.Mask, label, c.Score, c.SourceImage, c.RegionIndex, label);
        }));
        samples.AddRange(novelCrops.Select(c =>
        {
            var truth = c.ClassName is { Length: > 0 } name ? novelIndex[name] : -1;
            return new CropSample(c.Image, c.Mask, -1, c.Score, c.SourceImage, c.RegionIndex, truth);
        }));
        return new CropDataset(baseClasses, novelClasses, samples);
    }

    public void Dispose()
    {
        foreach (var sample in Samples)
        {
            sample.Dispose();
        }
    }

    private static Dictionary<string, int> Index(IReadOnlyList<string> names, int first) =>
        names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => first + p.i, StringComparer.Ordinal);
}
