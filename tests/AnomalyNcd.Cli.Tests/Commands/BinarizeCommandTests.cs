using System.Text.Json;
using AnomalyNcd.Core.Extraction;
using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Cli.Tests.Commands;

public class BinarizeCommandTests
{
    private const int MapSize = 64;

    [Fact]
    public async Task Binarize_GoldenCategory_ReportAndMasksMatchReference()
    {
        var golden = TestData.RequireFile("golden", "mebin");
        using var temp = TestData.NewTempFolder();
        var output = temp.Combine("out");

        var run = await Binarize("--maps", Path.Combine(golden, "maps", "c2"), "--out", output);

        Assert.Equal(0, run.Code);
        Assert.Equal(string.Empty, run.Error);
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(golden, "golden.json")));
        var category = document.RootElement.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "c2");
        var records = document.RootElement.GetProperty("maps").EnumerateArray().Where(m => m.GetProperty("category").GetString() == "c2").ToList();
        var report = BinarizationReport.Load(Path.Combine(output, "binarization.json"));
        Assert.Equal(category.GetProperty("min_th").GetInt32(), report.MinTh);
        Assert.Equal(category.GetProperty("max_th").GetInt32(), report.MaxTh);
        Assert.Equal(records.Select(r => r.GetProperty("name").GetString()), report.Maps.Select(m => m.Name));

        var failures = new List<string>();
        foreach (var (record, actual) in records.Zip(report.Maps))
        {
            var name = actual.Name;
            var counts = record.GetProperty("counts").EnumerateArray().Select(e => e.GetInt32());
            Check(failures, name, "counts", string.Join(",", counts), string.Join(",", actual.Counts));
            Check(failures, name, "threshold", record.GetProperty("threshold").GetInt32(), actual.Threshold);
            Check(failures, name, "regionCount", record.GetProperty("est_anomaly_num").GetInt32(), actual.RegionCount);
            Check(failures, name, "size", (record.GetProperty("width").GetInt32(), record.GetProperty("height").GetInt32()), (actual.Width, actual.Height));

            // Parity mode crops an all-foreground mask as the reference's pipeline does after its autoscaled save.
            var crop = record.TryGetProperty("crop_after_autoscale_save", out var autoscaled) ? autoscaled : record.GetProperty("crop");
            Check(failures, name, "boxes", FormatBoxes(crop.GetProperty("boxes").EnumerateArray().Select(b => b.EnumerateArray().Select(v => v.GetDouble()))), FormatBoxes(actual.Boxes));

            var expectedMask = ImageFiles.ReadGray(Path.Combine(golden, record.GetProperty("mask_file").GetString()!));
            var writtenMask = ImageFiles.ReadGray(Path.Combine(output, "masks", name + ".png"));
            Check(failures, name, "mask size", (expectedMask.Width, expectedMask.Height), (writtenMask.Width, writtenMask.Height));
            var differing = expectedMask.Pixels.Length == writtenMask.Pixels.Length ? expectedMask.Pixels.Where((p, i) => p != writtenMask.Pixels[i]).Count() : -1;
            Check(failures, name, "differing mask pixels", 0, differing);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(records.Count, Directory.GetFiles(Path.Combine(output, "masks")).Length);
        Assert.Equal(["binarization.json", "masks"], Entries(output));
        Assert.Contains("binarised 20 maps (range 27..230)", run.Output);
    }

    public static TheoryData<string> BadInputs => new()
    {
        "truncated-png", "zero-byte", "not-an-image", "empty-folder", "missing-folder", "image-size-differs", "image-missing", "degenerate",
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Binarize_BadInput_OneErrorLineNoOutputAndEarlierResultsUnchanged(string badCase)
    {
        using var temp = TestData.NewTempFolder();
        var (inputs, offending, problem) = Arrange(badCase, temp);

        var fresh = temp.Combine("fresh-out");
        var refused = await Binarize([.. inputs, "--out", fresh]);

        AssertRefused(refused, offending, problem);
        Assert.False(File.Exists(Path.Combine(fresh, "binarization.json")));
        Assert.False(Directory.Exists(Path.Combine(fresh, "masks")));
        Assert.True(!Directory.Exists(fresh) || Entries(fresh).Length == 0, "a failed run left entries in a new output folder");

        var earlier = temp.Combine("earlier-out");
        var goodMaps = WriteMaps(temp.Combine("good-maps"), 220, 170, 120);
        var firstRun = await Binarize("--maps", goodMaps, "--out", earlier);
        Assert.Equal(0, firstRun.Code);
        var before = Snapshot(earlier);
        Assert.Contains("binarization.json", before.Keys);

        var second = await Binarize([.. inputs, "--out", earlier]);

        AssertRefused(second, offending, problem);
        var after = Snapshot(earlier);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        Assert.All(before, entry => Assert.True(entry.Value.AsSpan().SequenceEqual(after[entry.Key]), $"{entry.Key} changed"));
    }

    [Fact]
    public async Task Binarize_ResizeMaps_AcceptsImageOfAnotherSizeAndPlansBoxesAtImageSize()
    {
        using var temp = TestData.NewTempFolder();
        var (inputs, _, _) = Arrange("image-size-differs", temp);
        var output = temp.Combine("out");

        var run = await Binarize([.. inputs, "--resize-maps", "--out", output]);

        Assert.Equal(0, run.Code);
        Assert.Equal(string.Empty, run.Error);
        var report = BinarizationReport.Load(Path.Combine(output, "binarization.json"));
        var resized = report.Maps.Single(m => m.Name == "m1");
        Assert.Equal((MapSize, MapSize), (resized.Width, resized.Height));
        var box = Assert.Single(resized.Boxes);
        // The image is twice the map's size in each direction: the blob centre (25.5) lands near 51.
        Assert.InRange(51, box[0], box[2]);
        Assert.InRange(51, box[1], box[3]);
        var mask = ImageFiles.ReadGray(Path.Combine(output, "masks", "m1.png"));
        Assert.Equal((MapSize, MapSize), (mask.Width, mask.Height));
    }

    [Fact]
    public async Task Binarize_DegenerateFallback_UsesTheSetsSmallestPixelAsLowerEnd()
    {
        using var temp = TestData.NewTempFolder();
        var (inputs, _, _) = Arrange("degenerate", temp);
        var output = temp.Combine("out");

        var run = await Binarize([.. inputs, "--degenerate-fallback", "--out", output]);

        Assert.Equal(0, run.Code);
        var report = BinarizationReport.Load(Path.Combine(output, "binarization.json"));
        Assert.Equal((Background, 200), (report.MinTh, report.MaxTh));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(output, "masks")).Length);
    }

    [Fact]
    public async Task Binarize_ImageWithoutMap_OnlyWarns()
    {
        using var temp = TestData.NewTempFolder();
        var maps = WriteMaps(temp.Combine("maps"), 220, 170, 120);
        var images = temp.Combine("images");
        WriteImages(images, ["m0", "m1", "m2", "extra"], MapSize, MapSize);
        var output = temp.Combine("out");

        var run = await Binarize("--maps", maps, "--images", images, "--out", output);

        Assert.Equal(0, run.Code);
        var line = Assert.Single(Lines(run.Error));
        Assert.StartsWith($"warning: {Path.Combine(images, "extra.png")}: ", line);
        Assert.Contains("no anomaly map", line);
        var report = BinarizationReport.Load(Path.Combine(output, "binarization.json"));
        Assert.Equal(["m0", "m1", "m2"], report.Maps.Select(m => m.Name));
    }

    [Fact]
    public async Task Binarize_RunTwice_SecondRunReplacesMasksOfTheFirst()
    {
        using var temp = TestData.NewTempFolder();
        var output = temp.Combine("out");
        Assert.Equal(0, (await Binarize("--maps", WriteMaps(temp.Combine("first"), 220, 170, 120), "--out", output)).Code);

        var second = await Binarize("--maps", WriteMaps(temp.Combine("second"), 210, 110), "--out", output);

        Assert.Equal(0, second.Code);
        Assert.Equal(["m0.png", "m1.png"], Directory.GetFiles(Path.Combine(output, "masks")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["binarization.json", "masks"], Entries(output));
        Assert.Equal(2, BinarizationReport.Load(Path.Combine(output, "binarization.json")).Maps.Count);
    }

    [Fact]
    public async Task Binarize_OutIsAFile_RefusedAsBadInput()
    {
        using var temp = TestData.NewTempFolder();
        var file = temp.Combine("taken.json");
        File.WriteAllText(file, "{}");

        var run = await Binarize("--maps", WriteMaps(temp.Combine("maps"), 220, 170, 120), "--out", file);

        AssertRefused(run, file, "output path is a file");
        Assert.Equal("{}", File.ReadAllText(file));
    }

    private const int Background = 10;

    /// <summary>Sets up one kind of bad input; returns the arguments (without --out), the path the error must name and its problem.</summary>
    private static (string[] Inputs, string Offending, string Problem) Arrange(string badCase, TempFolder temp)
    {
        var maps = temp.Combine("maps");
        var images = temp.Combine("images");
        var m1 = Path.Combine(maps, "m1.png");
        switch (badCase)
        {
            case "truncated-png":
                WriteMaps(maps, 220, 170, 120);
                var bytes = File.ReadAllBytes(m1);
                File.WriteAllBytes(m1, bytes[..(bytes.Length / 2)]);
                return (["--maps", maps], m1, "truncated PNG");
            case "zero-byte":
                WriteMaps(maps, 220, 170, 120);
                File.WriteAllBytes(m1, []);
                return (["--maps", maps], m1, "file is empty");
            case "not-an-image":
                WriteMaps(maps, 220, 170, 120);
                File.WriteAllText(m1, "this is a text file, not a PNG\n");
                return (["--maps", maps], m1, "cannot decode image");
            case "empty-folder":
                Directory.CreateDirectory(maps);
                File.WriteAllText(Path.Combine(maps, "notes.txt"), "no maps here");
                return (["--maps", maps], maps, "no anomaly maps");
            case "missing-folder":
                return (["--maps", maps], maps, "folder does not exist");
            case "image-size-differs":
                WriteMaps(maps, 220, 170, 120);
                WriteImages(images, ["m0", "m2"], MapSize, MapSize);
                WriteImages(images, ["m1"], 2 * MapSize, 2 * MapSize);
                return (["--maps", maps, "--images", images], m1, $"map is {MapSize}x{MapSize} but its image");
            case "image-missing":
                WriteMaps(maps, 220, 170, 120);
                WriteImages(images, ["m0", "m2"], MapSize, MapSize);
                return (["--maps", maps, "--images", images], m1, "no image with the stem 'm1'");
            case "degenerate":
                WriteMaps(maps, 200, 200, 200);
                return (["--maps", maps], maps, "degenerate map set");
            default:
                throw new ArgumentOutOfRangeException(nameof(badCase), badCase, null);
        }
    }

    private static void AssertRefused(CliRun run, string offending, string problem)
    {
        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, run.Code);
        var line = Assert.Single(Lines(run.Error));
        Assert.StartsWith($"error: {offending}: ", line);
        Assert.Contains(problem, line);
    }

    /// <summary>Maps m0, m1, ... of 64x64: background 10 and a 12x12 square of the given peak at (20, 20).</summary>
    private static string WriteMaps(string folder, params int[] peaks)
    {
        Directory.CreateDirectory(folder);
        for (var i = 0; i < peaks.Length; i++)
        {
            var pixels = new byte[MapSize * MapSize];
            Array.Fill(pixels, (byte)Background);
            for (var y = 20; y < 32; y++)
            {
                Array.Fill(pixels, (byte)peaks[i], y * MapSize + 20, 12);
            }

            ImageFiles.WritePng(Path.Combine(folder, $"m{i}.png"), new GrayImage(MapSize, MapSize, pixels));
        }

        return folder;
    }

    private static void WriteImages(string folder, string[] stems, int width, int height)
    {
        foreach (var stem in stems)
        {
            using var image = new Mat(height, width, MatType.CV_8UC3, new Scalar(30, 60, 90));
            ImageFiles.WritePng(Path.Combine(folder, stem + ".png"), image);
        }
    }

    private static async Task<CliRun> Binarize(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AnomalyNcdCli.RunAsync(["binarize", .. args], stdout, stderr);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string[] Entries(string folder) =>
        [.. Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    /// <summary>Every file below the folder (hidden ones included) with its bytes, keyed by relative path.</summary>
    private static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(p => Path.GetRelativePath(folder, p), p => File.Exists(p) ? File.ReadAllBytes(p) : [], StringComparer.Ordinal);

    private static string FormatBoxes(IEnumerable<IEnumerable<double>> boxes) =>
        string.Join(" ", boxes.Select(b => "[" + string.Join(",", b.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]"));

    private static void Check<T>(List<string> failures, string name, string what, T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            failures.Add($"{name}: {what} {actual}, want {expected}");
        }
    }

    private sealed record CliRun(int Code, string Output, string Error);
}
