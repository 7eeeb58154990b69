using AnomalyNcd.Core.Metrics;

namespace AnomalyNcd.Core.Tests.Metrics;

public class AuproTests
{
    private const int Width = 8;

    /// <summary>An 8×8 mask with a 2×2 region at the top left and a 1×3 region at the bottom right.</summary>
    private static byte[] TwoRegionMask()
    {
        var mask = new byte[Width * Width];
        foreach (var p in new[] { 0, 1, 8, 9, 61, 62, 63 })
        {
            mask[p] = 255;
        }

        return mask;
    }

    [Fact]
    public void Compute_PerfectMap_IsOne()
    {
        var mask = TwoRegionMask();
        var map = mask.Select(m => m > 0 ? 1f : 0f).ToArray();

        Assert.Equal(1.0, Aupro.Compute([map], [mask], [Width]), 9);
    }

    [Fact]
    public void Compute_InvertedMap_IsZero()
    {
        var mask = TwoRegionMask();
        var map = mask.Select(m => m > 0 ? 0f : 1f).ToArray();

        Assert.Equal(0.0, Aupro.Compute([map], [mask], [Width]), 9);
    }

    [Fact]
    public void Compute_OneRegionFoundOtherMissed_IsOneHalf()
    {
        // The 2×2 region scores highest, the 1×3 region lowest: PRO is 0.5 over the whole FPR range up to 0.3.
        var mask = TwoRegionMask();
        var map = new float[mask.Length];
        for (var p = 0; p < map.Length; p++)
        {
            map[p] = p is 0 or 1 or 8 or 9 ? 2f : p >= 61 ? -1f : 0.5f + p / 1000f;
        }

        Assert.Equal(0.5, Aupro.Compute([map], [mask], [Width]), 9);
    }

    [Fact]
    public void Compute_RegionsWeighEquallyWhateverTheirSize()
    {
        // A huge and a one-pixel region in two images; only the small one is found → 0.5, not its pixel share.
        var big = Enumerable.Repeat((byte)255, 32).Concat(new byte[32]).ToArray();
        var small = new byte[64];
        small[10] = 255;
        var bigMap = big.Select(m => m > 0 ? -1f : 0f).ToArray();
        var smallMap = small.Select(m => m > 0 ? 5f : 0f).ToArray();

        Assert.Equal(0.5, Aupro.Compute([bigMap, smallMap], [big, small], [Width, Width]), 9);
    }

    [Fact]
    public void Compute_NoRegions_IsNaN()
    {
        Assert.True(double.IsNaN(Aupro.Compute([new float[64]], [new byte[64]], [Width])));
    }
}
