using AnomalyNcd.Core.Maps;

namespace AnomalyNcd.Core.Tests.Maps;

public class MapResizeTests
{
    [Fact]
    public void Nearest_Upscale_RepeatsEachSourcePixel()
    {
        var map = new FloatMap(2, 1, [1f, 2f]);

        var up = MapResize.Nearest(map, 4, 2);

        Assert.Equal([1f, 1f, 2f, 2f, 1f, 1f, 2f, 2f], up.Values);
    }

    [Fact]
    public void Nearest_Downscale_ReadsFloorOfScaledIndex()
    {
        // 5 → 2 columns: x=0 reads floor(0·5/2)=0, x=1 reads floor(1·5/2)=2.
        var map = new FloatMap(5, 1, [10f, 11f, 12f, 13f, 14f]);

        var down = MapResize.Nearest(map, 2, 1);

        Assert.Equal([10f, 12f], down.Values);
    }

    [Fact]
    public void Nearest_MatchesOpenCvInterNearest()
    {
        var map = new FloatMap(7, 5, [.. Enumerable.Range(0, 35).Select(i => (float)i)]);
        using var source = new OpenCvSharp.Mat(5, 7, OpenCvSharp.MatType.CV_32FC1);
        System.Runtime.InteropServices.Marshal.Copy(map.Values, 0, source.Data, 35);
        using var expected = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.Resize(source, expected, new OpenCvSharp.Size(16, 11), 0, 0, OpenCvSharp.InterpolationFlags.Nearest);
        var expectedValues = new float[16 * 11];
        System.Runtime.InteropServices.Marshal.Copy(expected.Data, expectedValues, 0, expectedValues.Length);

        var resized = MapResize.Nearest(map, 16, 11);

        Assert.Equal(expectedValues, resized.Values);
    }
}
