using OpenCvSharp;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Training.Data;

/// <summary>
/// V train-transform views per sample, computed once and reused for every epoch (the CPU recipe caches
/// frozen-backbone features of a fixed set of views). Each sample draws from its own generator seeded
/// from (seed, sample index), so the views do not depend on thread scheduling or on the other samples.
/// Views are kept in 8 bits (about 200 KB each).
/// </summary>
public sealed class ViewCache
{
    private readonly AugmentedView[][] _views;

    private ViewCache(AugmentedView[][] views, int viewsPerSample)
    {
        _views = views;
        ViewsPerSample = viewsPerSample;
    }

    public int ViewsPerSample { get; }

    public int SampleCount => _views.Length;

    public static ViewCache Build(CropDataset dataset, int viewsPerSample, int seed, CancellationToken cancellationToken = default) =>
        Build(dataset.Samples.Select(s => (s.Image, s.Mask)).ToList(), viewsPerSample, seed, cancellationToken);

    public static ViewCache Build(IReadOnlyList<(Mat Image, GrayImage Mask)> crops, int viewsPerSample, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(viewsPerSample, 1);
        var views = new AugmentedView[crops.Count][];
        Parallel.For(0, crops.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var random = new Random(SampleSeed(seed, i));
            var sampleViews = new AugmentedView[viewsPerSample];
            for (var v = 0; v < viewsPerSample; v++)
            {
                sampleViews[v] = CropTransforms.Train(crops[i].Image, crops[i].Mask, random);
            }

            views[i] = sampleViews;
        });
        return new ViewCache(views, viewsPerSample);
    }

    /// <summary>The V views of sample <paramref name="sampleIndex"/>, in drawing order.</summary>
    public IReadOnlyList<AugmentedView> ViewsOf(int sampleIndex) => _views[sampleIndex];

    /// <summary>A stable 32-bit seed per sample (SplitMix64 finaliser over seed and index).</summary>
    internal static int SampleSeed(int seed, int sampleIndex)
    {
        var z = unchecked(((ulong)(uint)seed << 32) + (ulong)(uint)sampleIndex + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
