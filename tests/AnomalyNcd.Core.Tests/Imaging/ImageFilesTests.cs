using System.Buffers.Binary;
using System.Text;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Imaging;

public class ImageFilesTests
{
    [Fact]
    public void ReadGray_TruncatedJpeg_RefusedNamingTheFile()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("cut.jpg");
        using (var image = new Mat(64, 64, MatType.CV_8UC3, new Scalar(40, 120, 200)))
        {
            Cv2.Randu(image, new Scalar(0, 0, 0), new Scalar(255, 255, 255));
            Cv2.ImEncode(".jpg", image, out var encoded);
            File.WriteAllBytes(path, encoded[..(encoded.Length / 2)]);
        }

        var error = Assert.Throws<InvalidInputException>(() => ImageFiles.ReadGray(path));

        Assert.Equal(path, error.InputPath);
        Assert.Contains("truncated JPEG", error.Problem);
    }

    [Fact]
    public void ReadGray_TruncatedPng_Refused()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("cut.png");
        ImageFiles.WritePng(path, new GrayImage(32, 32, Enumerable.Range(0, 1024).Select(i => (byte)(i * 7)).ToArray()));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<InvalidInputException>(() => ImageFiles.ReadGray(path));

        Assert.Contains("truncated PNG", error.Problem);
    }

    [Fact]
    public void Decode_PngDeclaringHugeSize_RefusedByPixelLimitBeforeDecoding()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("bomb.png");
        File.WriteAllBytes(path, HeaderOnlyPng(100_000, 100_000));

        var error = Assert.Throws<InvalidInputException>(() => ImageFiles.ReadGray(path));

        // Decoding this header-only file would fail with "cannot decode"; the size check must come first.
        Assert.Contains("declared size 100000x100000 exceeds the limit", error.Problem);
    }

    [Fact]
    public void ReadGray_SmallHeaderOnlyPng_FailsAsUndecodableNotAsTooLarge()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("header-only.png");
        File.WriteAllBytes(path, HeaderOnlyPng(16, 16));

        var error = Assert.Throws<InvalidInputException>(() => ImageFiles.ReadGray(path));

        Assert.Contains("cannot decode", error.Problem);
    }

    [Fact]
    public void ReadGray_SixteenBitPng_KeepsHighByte()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("deep.png");
        using (var deep = new Mat(4, 5, MatType.CV_16UC1))
        {
            for (var y = 0; y < 4; y++)
            {
                for (var x = 0; x < 5; x++)
                {
                    deep.Set(y, x, (ushort)((x * 50 + y) << 8 | 0x40));
                }
            }

            Cv2.ImEncode(".png", deep, out var encoded);
            File.WriteAllBytes(path, encoded);
        }

        var gray = ImageFiles.ReadGray(path);

        Assert.Equal((5, 4), (gray.Width, gray.Height));
        for (var y = 0; y < 4; y++)
        {
            for (var x = 0; x < 5; x++)
            {
                Assert.Equal(x * 50 + y, gray[x, y]);
            }
        }
    }

    [Theory]
    [InlineData(0, 0, 255, 76)] // red
    [InlineData(0, 255, 0, 150)] // green
    [InlineData(255, 0, 0, 29)] // blue
    [InlineData(200, 200, 200, 200)] // neutral gray stays
    public void ReadGray_ColourPng_BecomesLuma(int blue, int green, int red, int luma)
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("colour.png");
        using (var colour = new Mat(3, 3, MatType.CV_8UC3, new Scalar(blue, green, red)))
        {
            ImageFiles.WritePng(path, colour);
        }

        var gray = ImageFiles.ReadGray(path);

        // libpng's fixed-point RGB-to-gray may differ from the float formula by one level.
        Assert.All(gray.Pixels, p => Assert.InRange(p, luma - 1, luma + 1));
    }

    [Fact]
    public void ReadGray_ZeroByteFile_RefusedAsEmpty()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("empty.png");
        File.WriteAllBytes(path, []);

        var error = Assert.Throws<InvalidInputException>(() => ImageFiles.ReadGray(path));

        Assert.Contains("empty", error.Problem);
    }

    [Fact]
    public void ReadGray_MissingFile_RefusedNamingIt()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("absent.png");

        var error = Assert.Throws<InvalidInputException>(() => ImageFiles.ReadGray(path));

        Assert.Equal(path, error.InputPath);
        Assert.Contains("does not exist", error.Problem);
    }

    /// <summary>Signature, a well-formed IHDR (8-bit gray) and IEND, with correct CRCs but no image data.</summary>
    private static byte[] HeaderOnlyPng(uint width, uint height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(0, 4), width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4, 4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 0; // gray
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(stream, "IHDR", ihdr);
        WriteChunk(stream, "IEND", []);
        return stream.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        stream.Write(word);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typeAndData));
        stream.Write(word);
    }

    /// <summary>The CRC-32 (polynomial 0xEDB88320) that PNG chunks carry.</summary>
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    [Fact]
    public void DecodeBytes_GivesTheFilesPixelsAndItsRefusals()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("ok.png");
        ImageFiles.WritePng(path, new GrayImage(16, 8, Enumerable.Range(0, 128).Select(i => (byte)(i * 3)).ToArray()));
        var bytes = File.ReadAllBytes(path);

        using var fromFile = ImageFiles.Decode(path, ImreadModes.Unchanged);
        using var fromBytes = ImageFiles.Decode(bytes, "upload.png", ImreadModes.Unchanged);
        var truncated = Assert.Throws<InvalidInputException>(() => ImageFiles.Decode(bytes[..(bytes.Length / 2)], "upload.png", ImreadModes.Unchanged));
        var empty = Assert.Throws<InvalidInputException>(() => ImageFiles.Decode([], "upload.png", ImreadModes.Unchanged));

        Assert.Equal((16, 8), (fromBytes.Width, fromBytes.Height));
        Assert.Equal(0, Cv2.Norm(fromFile, fromBytes, NormTypes.L1));
        Assert.Equal((16, 8), ImageFiles.ReadDeclaredSize(bytes));
        Assert.Equal("upload.png", truncated.InputPath);
        Assert.Contains("truncated PNG", truncated.Problem);
        Assert.Contains("empty", empty.Problem);
    }
}
