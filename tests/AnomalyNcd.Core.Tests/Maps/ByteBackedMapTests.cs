using AnomalyNcd.Core.Maps;

namespace AnomalyNcd.Core.Tests.Maps;

/// <summary>
/// 8-bit maps are held as bytes (no float array): every result must equal the float path's, on real maps
/// (the golden MEBin maps, MTD images read as maps) and on random ones, for many calibrations.
/// </summary>
public class ByteBackedMapTests
{
    private static readonly (float Min, float Max)[] Calibrations =
    [
        (0f, 255f), (0f, 1f), (3.25f, 200.7f), (-12.5f, 97.3f), (40f, 41f), (0.1f, 1e6f), (254f, 255f), (100f, 100f), (7f, 3f),
    ];

    public static IEnumerable<object[]> RealMapFiles()
    {
        var golden = TestData.RequireFile("golden", "mebin", "maps");
        foreach (var file in Directory.EnumerateFiles(golden, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(12))
        {
            yield return [file];
        }

        foreach (var category in new[] { "MT_Blowhole", "MT_Crack", "MT_Free" })
        {
            foreach (var file in Directory.EnumerateFiles(TestData.RequireFile("mtd", category, "Imgs"), "*.png").Order(StringComparer.Ordinal).Take(2))
            {
                yield return [file];
            }
        }
    }

    [Theory]
    [MemberData(nameof(RealMapFiles))]
    public void ReadEightBitPng_ByteBackedEqualsFloatPath(string file)
    {
        var bytes = AnomalyMapFile.Read(file);
        var floats = FloatBacked(AnomalyMapFile.Read(file));
        Assert.True(bytes.TryGetBytes(out _), "an 8-bit PNG map is held as bytes");

        AssertSameResults(bytes, floats);
    }

    [Theory]
    [InlineData(1, 64, 64)]
    [InlineData(2, 1, 1)]
    [InlineData(3, 257, 31)]
    public void RandomBytes_ByteBackedEqualsFloatPath(int seed, int width, int height)
    {
        var random = new Random(seed);
        var values = new byte[width * height];
        random.NextBytes(values);
        var bytes = FloatMap.FromBytes(width, height, values);
        var floats = new FloatMap(width, height, [.. values.Select(v => (float)v)]);

        AssertSameResults(bytes, floats);
    }

    [Fact]
    public void Values_AfterFirstAccess_AreTheTruth()
    {
        var map = FloatMap.FromBytes(2, 1, [10, 200]);

        Assert.Equal([10f, 200f], map.Values);
        Assert.False(map.TryGetBytes(out _));
        map.Values[1] = 1000f;
        map[0, 0] = -5f;

        Assert.Equal((-5f, 1000f), map.Range());
        Assert.Equal([0, 255], MapNormalization.ToByte(map, -5f, 1000f).Pixels);
        Assert.Equal(1000f, MapResize.Nearest(map, 4, 2)[3, 1]);
    }

    [Fact]
    public void Values_ConcurrentFirstAccess_OneArrayForEveryone()
    {
        var map = FloatMap.FromBytes(512, 512, new byte[512 * 512]);

        var arrays = new float[]?[8];
        Parallel.For(0, arrays.Length, i => arrays[i] = map.Values);

        Assert.All(arrays, a => Assert.Same(arrays[0], a));
    }

    [Fact]
    public void FromBytes_WrongLength_Refused()
    {
        Assert.Throws<ArgumentException>(() => FloatMap.FromBytes(3, 3, new byte[8]));
        Assert.Throws<ArgumentOutOfRangeException>(() => FloatMap.FromBytes(0, 3, []));
    }

    private static FloatMap FloatBacked(FloatMap map)
    {
        _ = map.Values; // the float array from now on: the old path
        Assert.False(map.TryGetBytes(out _));
        return map;
    }

    private static void AssertSameResults(FloatMap bytes, FloatMap floats)
    {
        Assert.Equal(floats.Range(), bytes.Range());
        Assert.Equal(floats[floats.Width - 1, floats.Height - 1], bytes[bytes.Width - 1, bytes.Height - 1]);
        foreach (var (min, max) in Calibrations.Append(floats.Range()))
        {
            Assert.Equal(MapNormalization.ToByte(floats, min, max).Pixels, MapNormalization.ToByte(bytes, min, max).Pixels);
        }

        foreach (var (width, height) in new[] { (bytes.Width, bytes.Height), (bytes.Width * 2, bytes.Height * 3), (bytes.Width + 5, bytes.Height + 1) })
        {
            var resizedBytes = MapResize.Nearest(bytes, width, height);
            var resizedFloats = MapResize.Nearest(floats, width, height);
            Assert.True(resizedBytes.TryGetBytes(out _), "resizing keeps a byte map in bytes");
            Assert.Equal(MapNormalization.ToByte(resizedFloats, 0f, 255f).Pixels, MapNormalization.ToByte(resizedBytes, 0f, 255f).Pixels);
        }

        // still untouched by all of the above, and the floats it finally gives are the float path's
        Assert.True(bytes.TryGetBytes(out _));
        Assert.Equal(floats.Values, bytes.Values);
    }
}
