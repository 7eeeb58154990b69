using System.Text.RegularExpressions;

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
}
