using System.Globalization;
using System.Text.RegularExpressions;

namespace AnomalyNcd.Cli.Tests.Commands;

/// <summary>
/// <c>bench ingest --raw</c>: the bench line learns its detector through the API and then makes the map of every
/// upload itself; with <c>--train-epochs</c> the measured uploads are classified on arrival. It trains a model, so it
/// shares the collection of the other tests that draw from TorchSharp's process-wide generator.
/// </summary>
[Collection(TorchGlobalRandomCollection.Name)]
public sealed class BenchIngestRawTests
{
    private static readonly Regex CountLine = new(@"^acknowledged (?<ack>\d+), errors (?<errors>\d+), in \d+\.\d+ s$", RegexOptions.Multiline);

    [Fact]
    public async Task BenchIngest_Raw_LearnsTheDetectorThenUploadsWithoutMapsAreAcknowledgedAndClassified()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(
            ["bench", "ingest", "--raw", "--train-epochs", "2", "--duration", "2", "--images", "30", "--size", "96", "--concurrency", "1", "--warmup", "12", "--settle", "0"],
            stdout, stderr);

        var output = stdout.ToString().Replace("\r", "", StringComparison.Ordinal);
        Assert.True(code == AnomalyNcdCli.ExitOk, output + stderr);
        Assert.Matches(@"generated \d+ distinct 96x96 images to send without maps and [1-9]\d* normal images", output);
        Assert.Matches(@"detector: version \S+ fitted on [1-9]\d* normal images in .*, promoted", output);
        Assert.Contains("raw images (the line's detector makes each map)", output);
        Assert.Matches(@"model: \S+ trained on [1-9]\d* regions \(2 epochs\)", output);
        var counts = CountLine.Match(output);
        Assert.True(counts.Success, output);
        Assert.True(int.Parse(counts.Groups["ack"].Value, CultureInfo.InvariantCulture) > 0, output);
        Assert.Equal("0", counts.Groups["errors"].Value);
        Assert.Contains("inference: the line has a promoted model", output);
    }

    [Fact]
    public async Task BenchIngest_NegativeTrainEpochs_IsRefused()
    {
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["bench", "ingest", "--train-epochs", "-1"], new StringWriter(), stderr);

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, code);
        Assert.StartsWith("error: --train-epochs:", stderr.ToString());
    }
}
