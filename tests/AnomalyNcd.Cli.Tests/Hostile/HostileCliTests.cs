using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AnomalyNcd.Core.Synthetic;
using AnomalyNcd.Core.Tests.Hostile;
using OpenCvSharp;

namespace AnomalyNcd.Cli.Tests.Hostile;

/// <summary>
/// Issue 7, hostile-input corpus through the CLI (in-process): hostile manifests, map folders, checkpoints and
/// serve options each end in exactly one line <c>error: &lt;file&gt;: &lt;problem&gt;</c>, exit code 2, and an
/// existing output folder left exactly as it was.
/// </summary>
public sealed class HostileCliTests(HostileCliTests.TrainedRun trained) : IClassFixture<HostileCliTests.TrainedRun>
{
    public static TheoryData<string> Cases => HostileCorpus.Names(HostileEntry.Cli);

    public static TheoryData<string> ConfigurationCases => HostileCorpus.Names(HostileEntry.Configuration);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RunCommand_HostileInput_OneErrorLineNamingTheFileAndOutputUnchanged(string name)
    {
        var hostile = HostileCorpus.Get(name);
        using var temp = TestData.NewTempFolder();
        var input = temp.Combine("input");
        Directory.CreateDirectory(input);
        var output = temp.Combine("out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "earlier.txt"), "results of an earlier run");
        var (args, offending) = Arrange(hostile, input, output);
        var before = Snapshot(temp.Path);

        var (code, error) = await RunAsync(args);

        Assert.True(code == 2, $"{name}: exit {code}, stderr: {error}");
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {offending}: ", line);
        Assert.Contains(hostile.Problem!, line);
        Assert.Equal(before, Snapshot(temp.Path));
    }

    [Theory]
    [MemberData(nameof(ConfigurationCases))]
    public async Task Serve_HostileOption_OneErrorLineNamingTheOption(string name)
    {
        var hostile = HostileCorpus.Get(name);
        using var temp = TestData.NewTempFolder();
        var data = temp.Combine("data");
        string[]? option = name switch
        {
            "config-negative-http-port" => ["--port", "-1"],
            "config-silo-port-too-big" => ["--silo-port", "70000"],
            "config-upload-limit-zero" => ["--max-upload-mb", "0"],
            "config-unknown-accelerator" => ["--accelerator", "tpu"],
            "config-listen-not-an-ip" => ["--listen", "not-an-ip"],
            _ => null, // no serve option sets it; Validate's own test covers the case
        };
        if (option is null)
        {
            Assert.Contains(name, new[] { "config-pixel-limit-zero", "config-empty-data-folder" });
            return;
        }

        var (code, error) = await RunAsync(["serve", "--data", data, .. option]);

        if (name == "config-unknown-accelerator")
        {
            // --accelerator has fixed choices, so the parser refuses it (exit 1, its usage message listing them).
            Assert.True(code != 0, error);
            Assert.Contains("'tpu' not recognized", error);
            Assert.Contains("'cuda'", error);
            Assert.False(Directory.Exists(data), "a refused serve created its data folder");
            return;
        }

        Assert.True(code == 2, $"{name}: exit {code}, stderr: {error}");
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(hostile.Problem!, line);
        Assert.False(Directory.Exists(data), "a refused serve created its data folder");
    }

    private (string[] Args, string Offending) Arrange(HostileCase hostile, string input, string output)
    {
        var manifest = Path.Combine(input, "manifest.csv");
        string[] Discover(params string[] extra) => ["discover", "--manifest", manifest, "--out", output, "--classes", "2", "--epochs", "1", .. extra];
        switch (hostile.Name)
        {
            case "cli-manifest-zero-byte" or "cli-manifest-missing-columns" or "cli-manifest-duplicate-image" or "cli-manifest-not-utf8":
                HostileCorpus.WriteCase(hostile, input);
                return (Discover(), manifest);
            case "cli-manifest-bom":
                HostileCorpus.WriteCase(hostile, input);
                return (Discover(), Path.Combine(input, "missing-after-bom.png"));
            case "cli-manifest-traversal":
                HostileCorpus.WriteCase(hostile, input);
                return (Discover(), Path.GetFullPath(Path.Combine(input, "../../../../no-such-folder/x.png")));
            case "cli-manifest-300-char-name":
                HostileCorpus.WriteCase(hostile, input);
                return (Discover(), Path.Combine(input, new string('l', 300) + ".png"));
            case "cli-manifest-absolute-zero-byte":
            {
                var elsewhere = Path.Combine(Path.GetDirectoryName(input)!, "elsewhere", "empty.png");
                Directory.CreateDirectory(Path.GetDirectoryName(elsewhere)!);
                File.WriteAllBytes(elsewhere, []);
                File.WriteAllText(manifest, $"image,anomaly_map,mask,label,line,split\n{elsewhere},,,scratch,l1,test\n");
                return (Discover(), elsewhere);
            }

            case "cli-manifest-truncated-image":
            {
                var image = Path.Combine(input, "cut.png");
                var good = HostileCorpus.GoodPng();
                File.WriteAllBytes(image, good[..(good.Length / 2)]);
                File.WriteAllText(manifest, "image,anomaly_map,mask,label,line,split\ncut.png,,,scratch,l1,test\n");
                return (Discover(), image);
            }

            case "cli-binarize-map-bomb" or "cli-binarize-tiff-bomb" or "cli-binarize-zero-byte-map":
            {
                WriteGoodMaps(input, 2);
                var path = HostileCorpus.WriteCase(hostile, input);
                return (["binarize", "--maps", input, "--out", output], path);
            }

            case "cli-binarize-constant-maps":
                for (var i = 0; i < 3; i++)
                {
                    HostileCorpus.WriteCase(hostile, Path.Combine(input, "tmp"));
                    File.Move(Path.Combine(input, "tmp", hostile.FileName), Path.Combine(input, $"flat{i}.png"));
                }

                Directory.Delete(Path.Combine(input, "tmp"));
                return (["binarize", "--maps", input, "--out", output], input);
            case "cli-resume-no-metadata":
            {
                var checkpoint = Path.Combine(input, "model");
                Directory.CreateDirectory(checkpoint);
                return (trained.Resume(output, checkpoint), checkpoint);
            }

            case "cli-resume-garbage-metadata":
            {
                var checkpoint = trained.CopyModel(input);
                HostileCorpus.WriteCase(hostile, checkpoint);
                return (trained.Resume(output, checkpoint), Path.Combine(checkpoint, "checkpoint.json"));
            }

            case "cli-resume-other-architecture":
            {
                var checkpoint = trained.CopyModel(input);
                var metadata = Path.Combine(checkpoint, "checkpoint.json");
                var json = JsonNode.Parse(File.ReadAllText(metadata))!;
                json["heads"] = json["heads"]!.GetValue<int>() + 3;
                File.WriteAllText(metadata, json.ToJsonString());
                return (trained.Resume(output, checkpoint), checkpoint);
            }

            case "cli-resume-truncated-model":
            {
                var checkpoint = trained.CopyModel(input);
                var model = Path.Combine(checkpoint, "model.bin");
                var bytes = File.ReadAllBytes(model);
                File.WriteAllBytes(model, bytes[..(bytes.Length / 3)]);
                return (trained.Resume(output, checkpoint), model);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(hostile), hostile.Name, "no arrangement for this case");
        }
    }

    private static void WriteGoodMaps(string folder, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var map = new Mat(32, 32, MatType.CV_8UC1, Scalar.All(20));
            Cv2.Circle(map, new Point(16, 16), 5, Scalar.All(200 + (i * 20)), -1);
            File.WriteAllBytes(Path.Combine(folder, $"good{i}.png"), HostileCorpus.Encode(".png", map.Clone()));
        }
    }

    private static async Task<(int Code, string Error)> RunAsync(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AnomalyNcdCli.RunAsync(args, stdout, stderr);
        return (code, stderr.ToString());
    }

    /// <summary>Every file and folder under <paramref name="folder"/> with a content hash.</summary>
    private static string[] Snapshot(string folder) =>
        [.. Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Select(e => Path.GetRelativePath(folder, e) + (File.Exists(e) ? ":" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(e))) : "/"))
            .Order(StringComparer.Ordinal)];

    /// <summary>One short discovery run whose model/ folder the resume cases tamper with.</summary>
    public sealed class TrainedRun : IAsyncLifetime
    {
        private readonly TempFolder temp = TestData.NewTempFolder();

        private string manifest = string.Empty;

        private string Model => temp.Combine("run", "model");

        public async Task InitializeAsync()
        {
            manifest = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 8, Size: 64, Seed: 5), temp.Combine("data")).ManifestPath;
            var (code, error) = await RunAsync(["discover", "--manifest", manifest, "--out", temp.Combine("run"), "--classes", "2", "--epochs", "1"]);
            Assert.True(code == 0 && File.Exists(Path.Combine(Model, "checkpoint.json")), $"the training run failed ({code}): {error}");
        }

        public Task DisposeAsync()
        {
            temp.Dispose();
            return Task.CompletedTask;
        }

        public string CopyModel(string folder)
        {
            var copy = Path.Combine(folder, "model");
            Directory.CreateDirectory(copy);
            foreach (var file in Directory.GetFiles(Model))
            {
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            }

            return copy;
        }

        public string[] Resume(string output, string checkpoint) =>
            ["discover", "--manifest", manifest, "--out", output, "--classes", "2", "--epochs", "2", "--resume", checkpoint];
    }
}
