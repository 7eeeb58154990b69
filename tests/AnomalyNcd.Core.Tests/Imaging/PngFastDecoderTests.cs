using System.Buffers.Binary;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Synthetic;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Imaging;

/// <summary>The managed PNG path must give OpenCV's IMREAD_UNCHANGED pixels, and hand everything unusual back to OpenCV.</summary>
public class PngFastDecoderTests
{
    private const ImwriteFlags PngFilter = (ImwriteFlags)19;

    public static IEnumerable<object[]> RealPngs()
    {
        var files = Directory.EnumerateFiles(TestData.RequireFile("golden", "mebin", "maps"), "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(6)
            .Concat(new[] { "MT_Blowhole", "MT_Crack", "MT_Free" }.SelectMany(c =>
                Directory.EnumerateFiles(TestData.RequireFile("mtd", c, "Imgs"), "*.png").Order(StringComparer.Ordinal).Take(3)));
        foreach (var file in files)
        {
            yield return [file];
        }
    }

    [Theory]
    [MemberData(nameof(RealPngs))]
    public void Decode_RealPngs_EqualOpenCv(string file)
    {
        var bytes = File.ReadAllBytes(file);

        AssertSameAsOpenCv(bytes, expectFast: null);
    }

    [Fact]
    public void Decode_SyntheticUploads_TakenAndEqualOpenCv()
    {
        using var folder = TestData.NewTempFolder();
        var summary = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 4, Size: 256, Seed: 3), folder.Path);
        foreach (var record in summary.Images)
        {
            AssertSameAsOpenCv(File.ReadAllBytes(Path.Combine(summary.Folder, record.Row.Image)), expectFast: true);
            AssertSameAsOpenCv(File.ReadAllBytes(Path.Combine(summary.Folder, record.Row.AnomalyMap!)), expectFast: true);
        }
    }

    [Theory]
    [InlineData(1, 8)]    // filter none
    [InlineData(1, 16)]   // sub
    [InlineData(3, 32)]   // up
    [InlineData(3, 64)]   // average
    [InlineData(1, 128)]  // paeth
    [InlineData(3, 248)]  // adaptive: all five mixed
    [InlineData(1, 248)]
    public void Decode_EveryRowFilter_GrayAndColour_EqualOpenCv(int channels, int filter)
    {
        var random = new Random(filter + channels);
        foreach (var (width, height) in new[] { (1, 1), (2, 3), (37, 19), (256, 256), (301, 7) })
        {
            using var image = new Mat(height, width, channels == 1 ? MatType.CV_8UC1 : MatType.CV_8UC3);
            var pixels = new byte[width * height * channels];
            random.NextBytes(pixels);
            for (var i = 0; i < pixels.Length / 2; i++)
            {
                pixels[i] = (byte)(i % 7 * 30); // half smooth, half noise: every filter gets used by the adaptive choice
            }

            System.Runtime.InteropServices.Marshal.Copy(pixels, 0, image.Data, pixels.Length);
            foreach (var level in new[] { 0, 1, 9 })
            {
                Cv2.ImEncode(".png", image, out var png, new ImageEncodingParam(ImwriteFlags.PngCompression, level), new ImageEncodingParam(PngFilter, filter));
                AssertSameAsOpenCv(png, expectFast: true);
            }
        }
    }

    [Theory]
    [InlineData("16-bit")]
    [InlineData("alpha")]
    [InlineData("gAMA")]
    [InlineData("bad CRC")]
    [InlineData("short data")]
    [InlineData("bad filter")]
    public void Decode_UnusualOrDamagedPng_LeftToOpenCv(string variant)
    {
        using var gray = new Mat(16, 16, MatType.CV_8UC1, Scalar.All(77));
        Cv2.ImEncode(".png", gray, out var plain, new ImageEncodingParam(ImwriteFlags.PngCompression, 1), new ImageEncodingParam(PngFilter, 8));
        byte[] png;
        switch (variant)
        {
            case "16-bit":
                using (var deep = new Mat(16, 16, MatType.CV_16UC1, Scalar.All(1000)))
                {
                    Cv2.ImEncode(".png", deep, out png);
                }

                break;
            case "alpha":
                using (var rgba = new Mat(16, 16, MatType.CV_8UC4, new Scalar(1, 2, 3, 4)))
                {
                    Cv2.ImEncode(".png", rgba, out png);
                }

                break;
            case "gAMA":
                png = [.. plain[..33], .. Chunk("gAMA", [0, 0, 0xB1, 0x8F]), .. plain[33..]];
                break;
            case "bad CRC":
                png = (byte[])plain.Clone();
                png[29] ^= 1; // IHDR's CRC
                break;
            case "short data":
                png = [.. plain[..33], .. Chunk("IDAT", ZlibOf(new byte[16 * 17 - 1])), .. plain[^12..]];
                break;
            default:
                var rows = new byte[16 * 17];
                rows[0] = 9;
                png = [.. plain[..33], .. Chunk("IDAT", ZlibOf(rows)), .. plain[^12..]];
                break;
        }

        Assert.Null(PngFastDecoder.TryDecodeUnchanged(png));
    }

    [Fact]
    public void Decode_BadCrc_StillRefusedAsBefore()
    {
        using var gray = new Mat(16, 16, MatType.CV_8UC1, Scalar.All(77));
        Cv2.ImEncode(".png", gray, out var png);
        var idat = png.AsSpan().IndexOf("IDAT"u8);
        png[idat + 6] ^= 0xFF; // compressed data changed, CRC not: libpng refuses

        Assert.Throws<InvalidInputException>(() => ImageFiles.Decode(png, "broken.png", ImreadModes.Unchanged));
    }

    private static void AssertSameAsOpenCv(byte[] png, bool? expectFast)
    {
        using var expected = Cv2.ImDecode(png, ImreadModes.Unchanged);
        using var fast = PngFastDecoder.TryDecodeUnchanged(png);
        if (expectFast == true)
        {
            Assert.NotNull(fast);
        }

        using var viaImageFiles = ImageFiles.Decode(png, "x.png", ImreadModes.Unchanged);
        foreach (var actual in new[] { fast, viaImageFiles })
        {
            if (actual is null)
            {
                continue;
            }

            Assert.Equal((expected.Type(), expected.Width, expected.Height), (actual.Type(), actual.Width, actual.Height));
            Assert.Equal(Bytes(expected), Bytes(actual));
        }
    }

    private static byte[] Bytes(Mat mat)
    {
        var bytes = new byte[mat.Total() * mat.ElemSize()];
        System.Runtime.InteropServices.Marshal.Copy(mat.Data, bytes, 0, bytes.Length);
        return bytes;
    }

    private static byte[] ZlibOf(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        var crc = 0xFFFFFFFFu;
        foreach (var b in chunk.AsSpan(4, 4 + data.Length))
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), crc ^ 0xFFFFFFFFu);
        return chunk;
    }
}
