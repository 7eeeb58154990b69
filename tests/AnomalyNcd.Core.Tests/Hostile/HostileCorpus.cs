using System.Buffers.Binary;
using System.Text;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Hostile;

/// <summary>The entry point a hostile case is aimed at; each has its own test class.</summary>
public enum HostileEntry
{
    /// <summary>Image files (ImageFiles) and HTTP uploads of them as the <c>image</c> part.</summary>
    Image,

    /// <summary>Anomaly map files (AnomalyMapFile) and HTTP uploads of them as the <c>map</c> part.</summary>
    Map,

    /// <summary>HTTP upload requests with hostile ids, names, lines or framing.</summary>
    Upload,

    /// <summary>CLI commands reading manifests, map folders and checkpoints.</summary>
    Cli,

    /// <summary>Server configuration (AnomalyNcdServerOptions.Validate and <c>anomalyncd serve</c>).</summary>
    Configuration,

    /// <summary>Names and links arriving at the file artefact store.</summary>
    ArtefactStore,
}

/// <summary>
/// One hostile input. <see cref="Problem"/> is a fragment the error must contain (null: the input is valid and
/// documented as accepted by that reader); <see cref="Status"/> is the HTTP status an upload of it must get.
/// </summary>
public sealed record HostileCase(string Name, HostileEntry Entry, string FileName, Func<byte[]>? Content, string? Problem, int Status)
{
    public override string ToString() => Name;
}

/// <summary>
/// The hostile-input corpus of issue 7, generated at test time (no committed binaries): corrupt, truncated and
/// bomb images, non-finite and wrongly typed maps, lying .npy files, hostile upload fields, CLI inputs,
/// bad configuration and hostile names for the artefact store. Tests look cases up by name.
/// </summary>
public static class HostileCorpus
{
    /// <summary>Size of the good image every map case is paired with in uploads.</summary>
    public const int ImageSize = 64;

    public static IReadOnlyList<HostileCase> Cases { get; } = Build();

    public static IEnumerable<HostileCase> Of(HostileEntry entry) => Cases.Where(c => c.Entry == entry);

    public static HostileCase Get(string name) => Cases.Single(c => c.Name == name);

    /// <summary>xunit member data: the names of one entry point's cases.</summary>
    public static TheoryData<string> Names(HostileEntry entry)
    {
        var data = new TheoryData<string>();
        foreach (var c in Of(entry))
        {
            data.Add(c.Name);
        }

        return data;
    }

    /// <summary>Writes every case that has content into <c>folder/entry/name/file</c>; returns the paths by case name.</summary>
    public static IReadOnlyDictionary<string, string> Write(string folder)
    {
        var written = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in Cases.Where(c => c.Content is not null))
        {
            written[c.Name] = WriteCase(c, Path.Combine(folder, c.Entry.ToString(), c.Name));
        }

        return written;
    }

    /// <summary>Writes one case's file into <paramref name="folder"/> and returns its path.</summary>
    public static string WriteCase(HostileCase c, string folder)
    {
        Directory.CreateDirectory(folder);
        // Upload cases carry hostile names meant for the wire, not for this disk.
        var diskName = c.FileName.Length > 100 || c.FileName.Contains('/') ? c.Name + Path.GetExtension(c.FileName) : c.FileName;
        var path = Path.Combine(folder, diskName);
        File.WriteAllBytes(path, c.Content!());
        return path;
    }

    private static List<HostileCase> Build()
    {
        const int unsupported = 415;
        const int tooLarge = 413;
        const int unprocessable = 422;
        var cases = new List<HostileCase>
        {
            new("image-zero-byte", HostileEntry.Image, "empty.png", () => [], "file is empty", unsupported),
            new("image-truncated-png", HostileEntry.Image, "cut.png", () => Cut(GoodPng(), 0.6), "truncated PNG", unsupported),
            new("image-truncated-jpeg", HostileEntry.Image, "cut.jpg", () => Cut(Encode(".jpg", Surface()), 0.5), "truncated JPEG", unsupported),
            new("image-truncated-tiff", HostileEntry.Image, "cut.tiff", () => Cut(Encode(".tiff", Surface()), 0.3), "cannot decode", unsupported),
            new("image-png-garbage-body", HostileEntry.Image, "garbage.png", PngWithGarbageBody, "cannot decode", unsupported),
            new("image-jpeg-garbage-body", HostileEntry.Image, "garbage.jpg", () => [0xFF, 0xD8, 0xFF, 0xE0, .. Random(400, 3), 0xFF, 0xD9], "cannot decode", unsupported),
            new("image-text-named-png", HostileEntry.Image, "text.png", () => "this is not an image at all"u8.ToArray(), "cannot decode", unsupported),
            new("image-png-bomb", HostileEntry.Image, "bomb.png", () => PngBomb(100_000, 100_000), "exceeds the limit", tooLarge),
            new("image-tiff-bomb", HostileEntry.Image, "bomb.tiff", () => TiffBomb(100_000, 100_000), "exceeds the limit", tooLarge),
            new("image-jpeg-bomb", HostileEntry.Image, "bomb.jpg", () => JpegBomb(65_000, 65_000), "exceeds the limit", tooLarge),

            // Valid for the Core reader (under its 100 MP limit) but over the server's configured pixel limit.
            new("image-over-configured-pixel-limit", HostileEntry.Image, "wide.png", () => Encode(".png", new Mat(1000, 1200, MatType.CV_8UC1, Scalar.All(90))), null, tooLarge),
            new("image-wrong-extension", HostileEntry.Image, "part.exe", GoodPng, "not an image file", unsupported),

            new("map-zero-byte", HostileEntry.Map, "empty.png", () => [], "file is empty", unprocessable),
            new("map-truncated-png", HostileEntry.Map, "cut.png", () => Cut(GoodPng(), 0.5), "truncated PNG", unprocessable),
            new("map-png-bomb", HostileEntry.Map, "bomb.png", () => PngBomb(100_000, 100_000), "exceeds the limit", unprocessable),
            new("map-nan-tiff", HostileEntry.Map, "nan.tiff", () => FloatTiff(float.NaN), "NaN", unprocessable),
            new("map-infinite-tiff", HostileEntry.Map, "inf.tiff", () => FloatTiff(float.PositiveInfinity), "infinite", unprocessable),
            new("map-3-channel-png", HostileEntry.Map, "colour.png", () => Encode(".png", new Mat(ImageSize, ImageSize, MatType.CV_8UC3, Scalar.All(40))), "single-channel", unprocessable),
            new("map-4-channel-png", HostileEntry.Map, "rgba.png", () => Encode(".png", new Mat(ImageSize, ImageSize, MatType.CV_8UC4, Scalar.All(40))), "single-channel", unprocessable),
            new("map-wrong-size-png", HostileEntry.Map, "narrow.png", () => Encode(".png", new Mat(40, 100, MatType.CV_8UC1, Scalar.All(40))), null, unprocessable),

            // Documented as accepted: maps keep raw detector values; the line's calibration maps them to 0..1.
            new("map-negative-tiff", HostileEntry.Map, "negative.tiff", () => FloatTiff(-3.5f), null, 201),
            new("map-constant-png", HostileEntry.Map, "constant.png", () => Encode(".png", new Mat(ImageSize, ImageSize, MatType.CV_8UC1, Scalar.All(77))), null, 201),
            new("map-16-bit-png", HostileEntry.Map, "deep.png", () => Encode(".png", new Mat(ImageSize, ImageSize, MatType.CV_16UC1, Scalar.All(40000))), null, 201),

            new("npy-int8", HostileEntry.Map, "int8.npy", () => Npy("|i1", "(64, 64)", 64 * 64), "dtype '|i1'", unprocessable),
            new("npy-complex", HostileEntry.Map, "complex.npy", () => Npy("<c8", "(64, 64)", 64 * 64 * 8), "dtype '<c8'", unprocessable),
            new("npy-object", HostileEntry.Map, "object.npy", () => Npy("|O", "(64, 64)", 64 * 64 * 8), "dtype '|O'", unprocessable),
            new("npy-bool", HostileEntry.Map, "bool.npy", () => Npy("|b1", "(64, 64)", 64 * 64), "dtype '|b1'", unprocessable),
            new("npy-big-endian", HostileEntry.Map, "big.npy", () => Npy(">f4", "(64, 64)", 64 * 64 * 4), "dtype '>f4'", unprocessable),
            new("npy-3d", HostileEntry.Map, "cube.npy", () => Npy("<f4", "(64, 64, 3)", 64 * 64 * 3 * 4), "expected a 2-D map", unprocessable),
            new("npy-1d", HostileEntry.Map, "flat.npy", () => Npy("<f4", "(4096,)", 4096 * 4), "expected a 2-D map", unprocessable),
            new("npy-zero-length", HostileEntry.Map, "nothing.npy", () => Npy("<f4", "(0, 64)", 0), "empty", unprocessable),
            new("npy-truncated-data", HostileEntry.Map, "short.npy", () => Npy("<f4", "(64, 64)", 100), "truncated .npy data", unprocessable),
            new("npy-lying-header-length", HostileEntry.Map, "liar.npy", NpyLyingHeaderLength, "truncated .npy header", unprocessable),
            new("npy-huge-shape", HostileEntry.Map, "huge.npy", () => Npy("<f4", "(100000, 100000)", 64), "not a map size", unprocessable),
            new("npy-fortran-order", HostileEntry.Map, "fortran.npy", () => Npy("<f4", "(64, 64)", 64 * 64 * 4, fortran: true), "Fortran order", unprocessable),
            new("npy-no-magic", HostileEntry.Map, "plain.npy", () => Encoding.ASCII.GetBytes("just numbers 1 2 3 4 5 6"), "magic is missing", unprocessable),
            new("npy-nan", HostileEntry.Map, "nan.npy", () => Npy("<f4", "(64, 64)", 64 * 64 * 4, fill: float.NaN), "NaN", unprocessable),

            new("upload-id-traversal", HostileEntry.Upload, "part.png", GoodPng, "../x", 400),
            new("upload-id-absolute-path", HostileEntry.Upload, "part.png", GoodPng, "/etc/passwd", 400),
            new("upload-id-300-chars", HostileEntry.Upload, "part.png", GoodPng, new string('a', 300), 400),
            new("upload-id-not-utf8", HostileEntry.Upload, "part.png", GoodPng, "image id", 400),
            new("upload-name-300-chars", HostileEntry.Upload, new string('n', 300) + ".png", GoodPng, "image id", 400),
            new("upload-ground-truth-traversal", HostileEntry.Upload, "part.png", GoodPng, "../../classes", 400),
            new("upload-line-traversal", HostileEntry.Upload, "part.png", GoodPng, "..", 400),
            new("upload-no-image-part", HostileEntry.Upload, "part.png", GoodPng, "no 'image' file", 400),
            new("upload-not-multipart", HostileEntry.Upload, "part.png", GoodPng, "Unsupported Media Type", 415),
            new("upload-unknown-line", HostileEntry.Upload, "part.png", GoodPng, "does not exist", 404),
            new("upload-duplicate-id-other-bytes", HostileEntry.Upload, "part.png", GoodPng, "already exists with other content", 409),
            new("upload-over-byte-limit", HostileEntry.Upload, "huge.png", GoodPng, "exceeds the limit", 413),
            new("upload-map-not-a-map-type", HostileEntry.Upload, "notes.txt", () => "0 1 2"u8.ToArray(), "not an anomaly map file", 415),

            // A traversing or absolute file name is reduced to its last part; the file is stored by hash only.
            new("upload-name-traversal", HostileEntry.Upload, "../../../escape.png", GoodPng, null, 201),
            new("upload-name-absolute", HostileEntry.Upload, "/tmp/absolute.png", GoodPng, null, 201),

            new("cli-manifest-zero-byte", HostileEntry.Cli, "manifest.csv", () => [], "manifest is empty", 0),
            new("cli-manifest-missing-columns", HostileEntry.Cli, "manifest.csv", () => "image,label\na.png,good\n"u8.ToArray(), "lacks column(s) anomaly_map, mask, line, split", 0),
            new("cli-manifest-duplicate-image", HostileEntry.Cli, "manifest.csv", () => Manifest("a.png", "./a.png"), "duplicate image './a.png'", 0),
            new("cli-manifest-not-utf8", HostileEntry.Cli, "manifest.csv", () => [.. Manifest("x.png"), 0xC3, 0x28, 0xFF, (byte)'\n'], "not valid UTF-8", 0),

            // A BOM is accepted: the run gets past the header and fails on the missing image instead.
            new("cli-manifest-bom", HostileEntry.Cli, "manifest.csv", () => [0xEF, 0xBB, 0xBF, .. Manifest("missing-after-bom.png")], "missing-after-bom.png", 0),
            new("cli-manifest-traversal", HostileEntry.Cli, "manifest.csv", () => Manifest("../../../../no-such-folder/x.png"), "does not exist", 0),
            new("cli-manifest-absolute-zero-byte", HostileEntry.Cli, "manifest.csv", null, "file is empty", 0),
            new("cli-manifest-300-char-name", HostileEntry.Cli, "manifest.csv", () => Manifest(new string('l', 300) + ".png"), "does not exist", 0),
            new("cli-manifest-truncated-image", HostileEntry.Cli, "manifest.csv", null, "truncated PNG", 0),
            new("cli-binarize-map-bomb", HostileEntry.Cli, "bomb.png", () => PngBomb(100_000, 100_000), "exceeds the limit", 0),
            new("cli-binarize-tiff-bomb", HostileEntry.Cli, "bomb.tiff", () => TiffBomb(100_000, 100_000), "exceeds the limit", 0),
            new("cli-binarize-zero-byte-map", HostileEntry.Cli, "empty.png", () => [], "file is empty", 0),
            new("cli-binarize-constant-maps", HostileEntry.Cli, "flat.png", () => Encode(".png", new Mat(32, 32, MatType.CV_8UC1, Scalar.All(128))), "degenerate", 0),
            new("cli-resume-no-metadata", HostileEntry.Cli, "", null, "no checkpoint.json", 0),
            new("cli-resume-garbage-metadata", HostileEntry.Cli, "checkpoint.json", () => "{ \"epoch\": [not json"u8.ToArray(), "unreadable checkpoint metadata", 0),
            new("cli-resume-other-architecture", HostileEntry.Cli, "", null, "another architecture", 0),
            new("cli-resume-truncated-model", HostileEntry.Cli, "", null, "weights cannot be loaded", 0),

            new("config-negative-http-port", HostileEntry.Configuration, "", null, "HttpPort", 0),
            new("config-silo-port-too-big", HostileEntry.Configuration, "", null, "SiloPort", 0),
            new("config-upload-limit-zero", HostileEntry.Configuration, "", null, "MaxUploadBytes", 0),
            new("config-pixel-limit-zero", HostileEntry.Configuration, "", null, "MaxImagePixels", 0),
            new("config-unknown-accelerator", HostileEntry.Configuration, "", null, "accelerator 'tpu' is not supported", 0),
            new("config-listen-not-an-ip", HostileEntry.Configuration, "", null, "HttpAddress", 0),
            new("config-empty-data-folder", HostileEntry.Configuration, "", null, "DataFolder", 0),

            new("store-extension-traversal", HostileEntry.ArtefactStore, "", null, "not a plain file extension", 0),
            new("store-extension-with-slash", HostileEntry.ArtefactStore, "", null, "not a plain file extension", 0),
            new("store-hash-traversal", HostileEntry.ArtefactStore, "", null, "not a lowercase SHA-256", 0),
            // .NET refuses to create a folder over a symbolic link, so a linked .incoming stops the write before it starts.
            new("store-symlink-incoming-out", HostileEntry.ArtefactStore, "", null, "already exists", 0),
            new("store-dangling-symlink-target", HostileEntry.ArtefactStore, "", null, null, 0),
        };

        var duplicate = cases.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? cases : throw new InvalidOperationException($"two hostile cases are named {duplicate.Key}");
    }

    /// <summary>A textured 64×64 surface, the good image of every pairing.</summary>
    public static Mat Surface()
    {
        var mat = new Mat(ImageSize, ImageSize, MatType.CV_8UC1);
        Cv2.Randu(mat, Scalar.All(100), Scalar.All(160));
        Cv2.Circle(mat, new Point(32, 32), 6, Scalar.All(20), -1);
        return mat;
    }

    public static byte[] GoodPng() => Encode(".png", Surface());

    public static byte[] Encode(string extension, Mat image)
    {
        using (image)
        {
            return Cv2.ImEncode(extension, image, out var bytes) ? bytes : throw new InvalidOperationException($"{extension} encoding failed");
        }
    }

    /// <summary>A 64×64 float32 TIFF holding <paramref name="special"/> in a quarter of its pixels and 0.5 elsewhere.</summary>
    public static byte[] FloatTiff(float special)
    {
        var mat = new Mat(ImageSize, ImageSize, MatType.CV_32FC1, Scalar.All(0.5));
        mat[new Rect(0, 0, 32, 32)].SetTo(Scalar.All(special));
        return Encode(".tiff", mat);
    }

    private static byte[] Cut(byte[] bytes, double share) => bytes[..(int)(bytes.Length * share)];

    private static byte[] Random(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] PngChunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary>The PNG chunk CRC (ISO 3309), so that only the chosen defect makes a crafted file hostile.</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static byte[] Ihdr(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 0; // grayscale
        return PngChunk("IHDR", ihdr);
    }

    /// <summary>A PNG declaring width×height (8-bit gray, 10 GB decoded) with a body of a few bytes.</summary>
    private static byte[] PngBomb(int width, int height) =>
        [.. PngSignature, .. Ihdr(width, height), .. PngChunk("IDAT", [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]), .. PngChunk("IEND", [])];

    private static byte[] PngWithGarbageBody() =>
        [.. PngSignature, .. Ihdr(64, 64), .. PngChunk("IDAT", Random(300, 7)), .. PngChunk("IEND", [])];

    /// <summary>A little-endian TIFF whose only IFD declares width×height, 8-bit gray, with a one-byte strip.</summary>
    private static byte[] TiffBomb(int width, int height)
    {
        (ushort Tag, ushort Type, uint Value)[] entries =
        [
            (256, 4, (uint)width), (257, 4, (uint)height), (258, 3, 8), (259, 3, 1), (262, 3, 1),
            (273, 4, 0), (277, 3, 1), (278, 4, (uint)height), (279, 4, 1),
        ];
        var ifdSize = 2 + (entries.Length * 12) + 4;
        var bytes = new byte[8 + ifdSize + 1];
        "II"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            var at = 10 + (i * 12);
            var value = entries[i].Tag == 273 ? (uint)(8 + ifdSize) : entries[i].Value;
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), entries[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 2), entries[i].Type);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 4), 1);
            if (entries[i].Type == 3)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 8), (ushort)value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 8), value);
            }
        }

        return bytes;
    }

    /// <summary>A baseline JPEG header whose SOF0 declares width×height, then a tiny scan and the end marker.</summary>
    private static byte[] JpegBomb(int width, int height)
    {
        var good = Encode(".jpg", new Mat(8, 8, MatType.CV_8UC1, Scalar.All(128)));
        var bytes = (byte[])good.Clone();
        for (var at = 2; at + 9 < bytes.Length;)
        {
            var marker = bytes[at + 1];
            if (marker == 0xC0)
            {
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at + 5), (ushort)height);
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at + 7), (ushort)width);
                return bytes;
            }

            at += 2 + BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 2));
        }

        throw new InvalidOperationException("the encoder wrote no SOF0 marker");
    }

    /// <summary>A version 1.0 .npy with the given header fields and <paramref name="dataBytes"/> bytes of data.</summary>
    private static byte[] Npy(string descr, string shape, int dataBytes, bool fortran = false, float fill = 0.25f)
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
        var header = dict.PadRight(((10 + dict.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        var bytes = new byte[10 + header.Length + dataBytes];
        bytes[0] = 0x93;
        "NUMPY"u8.CopyTo(bytes.AsSpan(1));
        bytes[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        Encoding.ASCII.GetBytes(header, bytes.AsSpan(10));
        if (descr == "<f4")
        {
            for (var at = 10 + header.Length; at + 4 <= bytes.Length; at += 4)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(at), fill);
            }
        }

        return bytes;
    }

    private static byte[] NpyLyingHeaderLength()
    {
        var bytes = Npy("<f4", "(8, 8)", 8 * 8 * 4);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), 60_000);
        return bytes;
    }

    private static byte[] Manifest(params string[] images)
    {
        var text = new StringBuilder("image,anomaly_map,mask,label,line,split\n");
        foreach (var image in images)
        {
            text.Append(image).Append(",,,scratch,l1,test\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
