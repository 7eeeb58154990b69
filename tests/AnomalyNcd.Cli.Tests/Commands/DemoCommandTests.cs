using System.Globalization;
using AnomalyNcd.Cli.Commands;
using AnomalyNcd.Cli.Demo;
using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Cli.Tests.Commands;

/// <summary><c>demo</c> in-process: a small factory through the embedded silo + API, and its refusals.</summary>
public class DemoCommandTests
{
    [Fact]
    public async Task Demo_SmallFactoryNoServe_PrintsPerLineSummaryWithMetricsInRange()
    {
        using var temp = TestData.NewTempFolder();
        var output = temp.Combine("demo");

        var run = await Demo("--out", output, "--lines", "1", "--images", "20", "--epochs", "1", "--seed", "2", "--port", "0", "--no-serve");

        Assert.True(run.Code == 0, $"exit {run.Code}\n{run.Output}\n{run.Error}");
        var lines = run.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        // Discovery: one row for the line with its regions, class count (kinds + normal) and metrics.
        var discovery = Row(lines, DemoReport.DiscoveryHeader, run.Output);
        Assert.Equal("line-a", discovery[0]);
        Assert.True(int.Parse(discovery[2], CultureInfo.InvariantCulture) > 0, "no training regions:\n" + run.Output);
        AssertMetrics(discovery[5], discovery[6], discovery[7]);

        // Image labels: classified images and their metrics against the synthetic ground truth.
        var labels = Row(lines, DemoReport.LabelsHeader, run.Output);
        Assert.Equal("line-a", labels[0]);
        Assert.True(int.Parse(labels[1], CultureInfo.InvariantCulture) > 0, "no classified image:\n" + run.Output);
        AssertMetrics(labels[2], labels[3], labels[4]);

        // Online latency: every online image answered, median and p95 printed.
        var latency = Row(lines, DemoReport.LatencyHeader, run.Output);
        Assert.Equal("line-a", latency[0]);
        Assert.True(int.Parse(latency[1], CultureInfo.InvariantCulture) > 0);
        Assert.Contains(lines, l => l.StartsWith("Online latency over ", StringComparison.Ordinal) && l.Contains("median", StringComparison.Ordinal) && l.Contains("p95", StringComparison.Ordinal));
        Assert.DoesNotContain("The API keeps running", run.Output);

        // The per-image results cover every streamed image once, with a class for the classified ones.
        var results = CsvTable.Read(Path.Combine(output, "results.csv"));
        Assert.Equal(["line", "image", "phase", "truth", "status", "class", "latency_ms"], results[0]);
        var rows = results.Skip(1).ToList();
        Assert.Equal(rows.Count, rows.Select(r => r[1]).Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(rows, r => r[2] == "online" && r[6].Length > 0);
        Assert.All(rows.Where(r => r[4] == "Classified"), r => Assert.Matches("^c[0-9]+$", r[5]));
        Assert.True(File.Exists(Path.Combine(output, "silo", "anomalyncd.db")), "embedded database missing under the output folder");

        // Raw images by default: the line learnt its detector from its normal images, and the summary says so.
        Assert.Matches(@"detector: version v1 fitted on [1-9]\d* normal images in .*, promoted", run.Output);
        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, DemoSummary.FileName)));
        var line = Assert.Single(summary.RootElement.GetProperty("lines").EnumerateArray());
        Assert.Equal("line-a", line.GetProperty("line").GetString());
        Assert.Equal("detector", line.GetProperty("maps").GetString());
        Assert.Equal("v1", line.GetProperty("detectorVersion").GetString());
        Assert.Equal(rows.Count, line.GetProperty("images").GetInt32());
        Assert.Equal(rows.Count(r => r[3] != "good"), line.GetProperty("defective").GetInt32());
        Assert.Equal(rows.Count(r => r[3] != "good" && r[4] == "NoAnomaly"), line.GetProperty("missedDefective").GetInt32());
        Assert.Equal(rows.Count(r => r[3] == "good" && r[4] == "Classified"), line.GetProperty("normalFlagged").GetInt32());
        Assert.InRange(line.GetProperty("imageLabelF1").GetDouble(), 0.0, 1.0);
        Assert.Equal(0.75, summary.RootElement.GetProperty("targets").GetProperty("imageLabelF1").GetDouble());
        Assert.Contains(lines, l => l.StartsWith("line-a ", StringComparison.Ordinal) && (l.EndsWith(" met", StringComparison.Ordinal) || l.EndsWith("NOT met", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Demo_WithMaps_SendsTheSimulatedMapsAndLearnsNoDetector()
    {
        using var temp = TestData.NewTempFolder();
        var output = temp.Combine("demo");

        var run = await Demo("--out", output, "--maps", "--lines", "1", "--images", "20", "--epochs", "1", "--seed", "2", "--port", "0", "--no-serve");

        Assert.True(run.Code == 0, $"exit {run.Code}\n{run.Output}\n{run.Error}");
        Assert.Contains("calibration", run.Output);
        Assert.DoesNotContain("detector: version", run.Output);
        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, DemoSummary.FileName)));
        var line = Assert.Single(summary.RootElement.GetProperty("lines").EnumerateArray());
        Assert.Equal("simulated", line.GetProperty("maps").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, line.GetProperty("detectorVersion").ValueKind);
    }

    [Fact]
    public async Task Demo_NonEmptyForeignFolder_RefusedAndLeftUntouched()
    {
        using var temp = TestData.NewTempFolder();
        var output = temp.Combine("mine");
        Directory.CreateDirectory(Path.Combine(output, "sub"));
        File.WriteAllText(Path.Combine(output, "notes.txt"), "keep me");
        File.WriteAllText(Path.Combine(output, "sub", "data.csv"), "a,b\n");
        var before = Snapshot(output);

        var run = await Demo("--out", output, "--lines", "1", "--images", "10", "--epochs", "1", "--port", "0", "--no-serve");

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, run.Code);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {output}: ", line);
        Assert.Contains("not empty", line);
        Assert.Equal(before, Snapshot(output));
    }

    [Fact]
    public async Task Demo_OutIsAFile_RefusedAsBadInput()
    {
        using var temp = TestData.NewTempFolder();
        var file = temp.Combine("taken.txt");
        File.WriteAllText(file, "a file");

        var run = await Demo("--out", file, "--lines", "1", "--images", "10", "--epochs", "1", "--port", "0", "--no-serve");

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, run.Code);
        Assert.StartsWith($"error: {file}: ", Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("a file", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("--lines", "0", "must be between 1 and")]
    [InlineData("--images", "5", "must be between 10 and")]
    [InlineData("--epochs", "0", "must be between 1 and")]
    [InlineData("--port", "70000", "must be between 0 and 65535")]
    public async Task Demo_OutOfRangeOption_RefusedBeforeTouchingAnEarlierDemo(string option, string value, string problem)
    {
        using var temp = TestData.NewTempFolder();
        var fresh = temp.Combine("fresh");
        var earlier = temp.Combine("earlier");
        // An earlier demo's folder (its marker makes it replaceable by a valid run).
        Directory.CreateDirectory(Path.Combine(earlier, "factory"));
        File.WriteAllText(Path.Combine(earlier, "demo.marker"), "written by anomalyncd demo\n");
        File.WriteAllText(Path.Combine(earlier, "results.csv"), "line,image\nline-a,x\n");
        var before = Snapshot(earlier);

        var onFresh = await Demo("--out", fresh, option, value, "--no-serve");
        var onEarlier = await Demo("--out", earlier, option, value, "--no-serve");

        foreach (var run in new[] { onFresh, onEarlier })
        {
            Assert.Equal(AnomalyNcdCli.ExitInvalidInput, run.Code);
            var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"error: {option}: {problem}", line);
        }

        Assert.False(Directory.Exists(fresh));
        Assert.Equal(before, Snapshot(earlier));
    }

    /// <summary>The fields of the row under a table header (the first field is the line name).</summary>
    private static string[] Row(List<string> lines, string header, string output)
    {
        var index = lines.IndexOf(header);
        Assert.True(index >= 0 && index + 1 < lines.Count, $"table '{header}' missing:\n{output}");
        return lines[index + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>NMI and F1 lie in [0, 1]; ARI in [-1, 1] (chance-adjusted, slightly negative for a clustering worse than chance).</summary>
    private static void AssertMetrics(string nmi, string ari, string f1)
    {
        Assert.InRange(double.Parse(nmi, CultureInfo.InvariantCulture), 0.0, 1.0);
        Assert.InRange(double.Parse(ari, CultureInfo.InvariantCulture), -1.0, 1.0);
        Assert.InRange(double.Parse(f1, CultureInfo.InvariantCulture), 0.0, 1.0);
    }

    private static async Task<(int Code, string Output, string Error)> Demo(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AnomalyNcdCli.RunAsync(["demo", .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Relative path and content (hex) of every file, and every folder, below <paramref name="folder"/>.</summary>
    private static string Snapshot(string folder) =>
        string.Join("\n", Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(p => Path.GetRelativePath(folder, p) + " " + (File.Exists(p) ? Convert.ToHexString(File.ReadAllBytes(p)) : "<dir>")));
}
