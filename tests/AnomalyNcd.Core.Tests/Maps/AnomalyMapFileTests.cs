using System.Buffers.Binary;
using System.Text;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Maps;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Maps;

public class AnomalyMapFileTests
{
    private static FloatMap Ramp(int width, int height, Func<int, float> value)
    {
        var map = new FloatMap(width, height);
        for (var i = 0; i < map.Values.Length; i++)
        {
            map.Values[i] = value(i);
        }

        return map;
    }

    [Theory]
    [InlineData(AnomalyMapFormat.Png8, "m.png")]
    [InlineData(AnomalyMapFormat.Png16, "m.png")]
    [InlineData(AnomalyMapFormat.FloatTiff, "m.tiff")]
    [InlineData(AnomalyMapFormat.Npy, "m.npy")]
    public void WriteThenRead_RoundTripsExactly(AnomalyMapFormat format, string name)
    {
        using var temp = TestData.NewTempFolder();
        var map = format switch
        {
            AnomalyMapFormat.Png8 => Ramp(7, 5, i => (i * 37) % 256),
            AnomalyMapFormat.Png16 => Ramp(7, 5, i => (i * 1999) % 65536),
            _ => Ramp(7, 5, i => (float)Math.Sin(i) * 1e-3f - 12.5f),
        };
        var path = temp.Combine(name);

        AnomalyMapFile.Write(path, map, format);
        var back = AnomalyMapFile.Read(path);

        Assert.Equal((7, 5), (back.Width, back.Height));
        Assert.Equal(map.Values, back.Values);
    }

    [Fact]
    public void Read_Png16_KeepsFullRange()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("m.png");
        AnomalyMapFile.Write(path, Ramp(2, 1, i => i == 0 ? 0 : 65535), AnomalyMapFormat.Png16);

        var back = AnomalyMapFile.Read(path);

        Assert.Equal([0f, 65535f], back.Values);
    }

    [Theory]
    [InlineData("<f8", 8)]
    [InlineData("|u1", 1)]
    [InlineData("<u2", 2)]
    public void Read_NpyOtherDtypes_ConvertsValues(string descr, int itemSize)
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("m.npy");
        var values = new double[] { 0, 1, 200, 3, 4, 5 };
        var data = new byte[values.Length * itemSize];
        for (var i = 0; i < values.Length; i++)
        {
            switch (itemSize)
            {
                case 8: BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(i * 8), values[i]); break;
                case 2: BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(i * 2), (ushort)values[i]); break;
                default: data[i] = (byte)values[i]; break;
            }
        }

        File.WriteAllBytes(path, Npy($"{{'descr': '{descr}', 'fortran_order': False, 'shape': (2, 3), }}", data, major: 2));

        var map = AnomalyMapFile.Read(path);

        Assert.Equal((3, 2), (map.Width, map.Height));
        Assert.Equal(values.Select(v => (float)v), map.Values);
    }

    [Theory]
    [InlineData(AnomalyMapFormat.Png16, "m.png")]
    [InlineData(AnomalyMapFormat.FloatTiff, "m.tiff")]
    [InlineData(AnomalyMapFormat.Npy, "m.npy")]
    public void ReadBytes_SameValuesAsTheFile(AnomalyMapFormat format, string name)
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine(name);
        AnomalyMapFile.Write(path, Ramp(6, 4, i => format == AnomalyMapFormat.Png16 ? i * 2731 : i * 0.25f - 1f), format);

        var fromBytes = AnomalyMapFile.Read(File.ReadAllBytes(path), "upload-" + name);

        Assert.Equal(AnomalyMapFile.Read(path).Values, fromBytes.Values);
        Assert.Equal((6, 4), (fromBytes.Width, fromBytes.Height));
    }

    [Fact]
    public void ReadBytes_NanMap_RefusedNamingTheSource()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("bad.npy");
        AnomalyMapFile.Write(path, new FloatMap(2, 1, [float.NaN, 1f]), AnomalyMapFormat.Npy);

        var error = Assert.Throws<InvalidInputException>(() => AnomalyMapFile.Read(File.ReadAllBytes(path), "upload.npy"));

        Assert.Equal("upload.npy", error.InputPath);
        Assert.Contains("1 NaN and 0 infinite", error.Message);
    }

    [Fact]
    public void Read_NanAndInfinity_RefusedWithCountsAndFile()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("bad.tiff");
        AnomalyMapFile.Write(path, new FloatMap(3, 1, [float.NaN, 1f, float.PositiveInfinity]), AnomalyMapFormat.FloatTiff);

        var error = Assert.Throws<InvalidInputException>(() => AnomalyMapFile.Read(path));

        Assert.Equal(path, error.InputPath);
        Assert.Contains("1 NaN and 1 infinite", error.Message);
    }

    [Fact]
    public void Read_ThreeChannelImage_Refused()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("colour.png");
        using (var colour = new Mat(4, 4, MatType.CV_8UC3, Scalar.All(9)))
        {
            Cv2.ImWrite(path, colour);
        }

        var error = Assert.Throws<InvalidInputException>(() => AnomalyMapFile.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("expected a single-channel map", error.Message);
    }

    [Theory]
    [InlineData("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }", 24, "dtype '<i4'")]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 24, "Fortran order")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 1), }", 24, "expected a 2-D map")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 20, "truncated .npy data")]
    public void Read_BadNpy_RefusedNamingTheFile(string header, int dataBytes, string expected)
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("bad.npy");
        File.WriteAllBytes(path, Npy(header, new byte[dataBytes], major: 1));

        var error = Assert.Throws<InvalidInputException>(() => AnomalyMapFile.Read(path));

        Assert.Equal(path, error.InputPath);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Read_NpyWithoutMagic_Refused()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("plain.npy");
        File.WriteAllText(path, "not numpy at all");

        var error = Assert.Throws<InvalidInputException>(() => AnomalyMapFile.Read(path));

        Assert.Contains("magic", error.Message);
    }

    private static byte[] Npy(string dict, byte[] data, int major)
    {
        var header = Encoding.ASCII.GetBytes(dict + "\n");
        var prefix = major == 1 ? 10 : 12;
        var bytes = new byte[prefix + header.Length + data.Length];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 }.CopyTo(bytes, 0);
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)header.Length);
        }

        header.CopyTo(bytes, prefix);
        data.CopyTo(bytes, prefix + header.Length);
        return bytes;
    }
}
