using AnomalyNcd.Cli.Bench;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AnomalyNcd.Cli.Tests.Commands;

/// <summary><c>bench ingest</c> against its own in-process silo on embedded SQLite.</summary>
public sealed class BenchIngestCommandTests
{
    private static readonly Regex RateLine = new(@"^sustained: (?<rate>\d+(\.\d+)?) images/s$", RegexOptions.Multiline);
    private static readonly Regex CountLine = new(@"^acknowledged (?<ack>\d+), errors (?<errors>\d+), in \d+\.\d+ s$", RegexOptions.Multiline);

    [Fact]
    public async Task BenchIngest_ShortRunOnSqlite_PrintsRateWithAcknowledgedUploadsAndNoErrors()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(
            ["bench", "ingest", "--duration", "2", "--images", "6", "--size", "96", "--concurrency", "2", "--warmup", "2", "--settle", "0"], stdout, stderr);

        var output = stdout.ToString().Replace("\r", "", StringComparison.Ordinal);
        Assert.True(code == AnomalyNcdCli.ExitOk, output + stderr);
        var counts = CountLine.Match(output);
        Assert.True(counts.Success, output);
        Assert.True(int.Parse(counts.Groups["ack"].Value, CultureInfo.InvariantCulture) > 0, output);
        Assert.Equal("0", counts.Groups["errors"].Value);
        var rate = RateLine.Match(output);
        Assert.True(rate.Success, output);
        Assert.True(double.Parse(rate.Groups["rate"].Value, CultureInfo.InvariantCulture) > 0, output);
        Assert.Contains("embedded SQLite", output);
        Assert.Matches(@"latency ms: p50 \d+\.\d, p95 \d+\.\d, p99 \d+\.\d", output);
        Assert.Contains("grain.process", output);
        Assert.Contains("inference: skipped", output);
    }

    [Fact]
    public async Task BenchIngest_Batches_AcknowledgesEveryImageOfEachRequest()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(
            ["bench", "ingest", "--duration", "2", "--images", "6", "--size", "96", "--concurrency", "2", "--batch", "4", "--warmup", "4", "--settle", "0"], stdout, stderr);

        var output = stdout.ToString().Replace("\r", "", StringComparison.Ordinal);
        Assert.True(code == AnomalyNcdCli.ExitOk, output + stderr);
        Assert.Contains("batches of 4", output);
        var counts = CountLine.Match(output);
        Assert.True(counts.Success, output);
        var acknowledged = int.Parse(counts.Groups["ack"].Value, CultureInfo.InvariantCulture);
        Assert.True(acknowledged >= 4 && acknowledged % 4 == 0, output);
        Assert.Equal("0", counts.Groups["errors"].Value);
        Assert.Matches(@"responses: 201 x\d+", output);
        Assert.Contains("api.line-record-batch", output);
    }

    [Fact]
    public async Task BenchIngest_UrlAndPostgresTogether_AreRefused()
    {
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["bench", "ingest", "--url", "http://127.0.0.1:1", "--postgres", "auto"], new StringWriter(), stderr);

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, code);
        Assert.StartsWith("error: --postgres:", stderr.ToString());
    }

    [Fact]
    public async Task BenchIngest_PostgresAuto_PointsAtTheScript()
    {
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["bench", "ingest", "--postgres", "auto"], new StringWriter(), stderr);

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, code);
        Assert.StartsWith("error: --postgres:", stderr.ToString());
        Assert.Contains("bench/ingest-postgres.sh", stderr.ToString());
    }

    [Fact]
    public async Task BenchIngest_ZeroConcurrency_IsRefused()
    {
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["bench", "ingest", "--concurrency", "0"], new StringWriter(), stderr);

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, code);
        Assert.Contains("--concurrency: must be between 1 and 256, got 0", stderr.ToString());
    }

    [Fact]
    public async Task BenchIngest_IdPrefixThatMakesNoValidId_IsRefused()
    {
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["bench", "ingest", "--id-prefix", "../x"], new StringWriter(), stderr);

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, code);
        Assert.StartsWith("error: --id-prefix: '../x' plus eight digits is not a valid image id", stderr.ToString());
    }

    [Fact]
    public async Task BenchIngest_Settle_WarmsUpInSlicesAndSaysHowTheJitEnded()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(
            ["bench", "ingest", "--duration", "1", "--images", "6", "--size", "96", "--concurrency", "2", "--warmup", "0", "--settle", "4"], stdout, stderr);

        var output = stdout.ToString().Replace("\r", "", StringComparison.Ordinal);
        Assert.True(code == AnomalyNcdCli.ExitOk, output + stderr);
        // The test host compiles other tests' code at the same time, so either ending is possible; the bound is not.
        var settle = Regex.Match(output, @"^warm-up: (JIT settled|JIT still compiling, measuring anyway) after (?<s>\d+\.\d) s \(\d+ methods compiled in \d+\.\d s of JIT time; (?<ack>\d+) acknowledged, 0 errors, not counted\)$", RegexOptions.Multiline);
        Assert.True(settle.Success, output);
        var seconds = double.Parse(settle.Groups["s"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, BenchJitSettle.Slice.TotalSeconds, 4 + BenchJitSettle.Slice.TotalSeconds + 2);
        Assert.True(long.Parse(settle.Groups["ack"].Value, CultureInfo.InvariantCulture) > 0, output);
        Assert.Matches(RateLine, output);
    }

    [Fact]
    public async Task BenchIngest_NegativeSettle_IsRefused()
    {
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["bench", "ingest", "--settle", "-1"], new StringWriter(), stderr);

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, code);
        Assert.Contains("--settle: must be between 0 and 600 seconds, got -1", stderr.ToString());
    }
}
