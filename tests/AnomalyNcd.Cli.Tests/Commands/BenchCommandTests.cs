using System.Text.RegularExpressions;
using AnomalyNcd.Core.Detection;

namespace AnomalyNcd.Cli.Tests.Commands;

public class BenchCommandTests
{
    private static readonly Regex TimingLine = new(
        @"^(?<size>\d+x\d+) (?<threads>1 thread|\d+ threads): reference \d+\.\d ms, fast \d+\.\d ms, \d+\.\dx$");

    [Fact]
    public async Task BenchMebin_TinySizes_PrintsOneTimingLinePerSizeAndThreadSetting()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AnomalyNcdCli.RunAsync(["bench", "mebin", "--sizes", "24,20x16", "--maps", "2", "--repeat", "1"], stdout, stderr);

        Assert.True(code == 0, stderr.ToString());
        var matches = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => TimingLine.Match(line))
            .Where(m => m.Success)
            .ToList();
        var settings = Environment.ProcessorCount > 1 ? 2 : 1;
        Assert.Equal(2 * settings, matches.Count);
        Assert.Equal(["24x24", "20x16"], matches.Select(m => m.Groups["size"].Value).Distinct());
        Assert.Equal("1 thread", matches[0].Groups["threads"].Value);
        if (settings == 2)
        {
            Assert.Equal($"{Environment.ProcessorCount} threads", matches[1].Groups["threads"].Value);
        }
    }

    [Fact]
    public async Task BenchMebin_BadSize_FailsWithInputError()
    {
        var stderr = new StringWriter();
        var code = await AnomalyNcdCli.RunAsync(["bench", "mebin", "--sizes", "256,big"], new StringWriter(), stderr);

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, code);
        Assert.StartsWith("error: --sizes: 'big' is not a size", stderr.ToString());
    }

    [Fact]
    public async Task BenchDetect_PrintsBothSearchesTheirStageBreakdownAndTheTargetVerdict()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["bench", "detect", "--images", "1", "--warmup", "2"], stdout, stderr);

        Assert.Equal(string.Empty, stderr.ToString());
        Assert.Equal(0, code);
        var text = stdout.ToString();
        Assert.Contains("1 images after 2 warm-up", text);
        Assert.Contains("Shortlist search:", text);
        Assert.Contains("BlockedShortlist search:", text);
        foreach (var stage in Enum.GetNames<ScoringStage>())
        {
            Assert.Equal(2, text.Split('\n').Count(l => l.TrimStart().StartsWith(stage + " ", StringComparison.Ordinal)));
        }

        Assert.Matches(@"optimised \(blocked shortlist\) [0-9.]+ ms vs previous \(shortlist\) [0-9.]+ ms", text);
        Assert.Matches(@"search ratio, same patches and run: blocked shortlist [0-9.]+× \(wall\)", text);
        Assert.Matches(@"target ≤ 50 ms per 256×256 image on one core: (met|NOT met)", text);
    }

    [Fact]
    public async Task BenchDetect_WithNoWarmUpImage_IsRefused()
    {
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["bench", "detect", "--images", "1", "--warmup", "0"], new StringWriter(), stderr);

        Assert.Equal(2, code);
        Assert.StartsWith("error: --warmup:", stderr.ToString());
    }
}
