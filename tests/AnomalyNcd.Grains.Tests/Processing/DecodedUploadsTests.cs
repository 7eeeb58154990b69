using AnomalyNcd.Core.Maps;
using AnomalyNcd.Grains.Processing;
using OpenCvSharp;

namespace AnomalyNcd.Grains.Tests.Processing;

public sealed class DecodedUploadsTests
{
    [Fact]
    public void TryTake_GivesAnEntryOnceAndOnlyForItsContents()
    {
        using var decoded = new DecodedUploads();
        decoded.Put("img", "map", new Mat(4, 4, MatType.CV_8UC3), new FloatMap(4, 4));

        var otherMap = decoded.TryTake("img", "other", out _, out _);
        var first = decoded.TryTake("img", "map", out var rgb, out var map);
        var second = decoded.TryTake("img", "map", out _, out _);
        rgb.Dispose();

        Assert.False(otherMap);
        Assert.True(first);
        Assert.Equal((4, 4), (map.Width, map.Height));
        Assert.False(second);
    }

    [Fact]
    public void Put_BeyondThePixelBudget_DropsTheOldestAndDisposesIt()
    {
        using var decoded = new DecodedUploads();
        var side = 1000;
        var perEntry = 2L * side * side;
        var fit = (int)(DecodedUploads.MaxPixels / perEntry);
        var first = new Mat(side, side, MatType.CV_8UC3);
        decoded.Put("img-0", "map", first, new FloatMap(side, side));
        for (var i = 1; i <= fit; i++)
        {
            decoded.Put($"img-{i}", "map", new Mat(side, side, MatType.CV_8UC3), new FloatMap(side, side));
        }

        Assert.Equal(fit, decoded.Count);
        Assert.False(decoded.TryTake("img-0", "map", out _, out _));
        Assert.True(first.IsDisposed);
        Assert.True(decoded.TryTake($"img-{fit}", "map", out var newest, out _));
        newest.Dispose();
    }

    [Fact]
    public void Put_AboveTheBudgetAlone_IsNotKept()
    {
        using var decoded = new DecodedUploads();
        var huge = new Mat(3000, 3000, MatType.CV_8UC1);

        decoded.Put("huge", "map", huge, new FloatMap(1, 1));

        Assert.Equal(0, decoded.Count);
        Assert.True(huge.IsDisposed);
    }
}
