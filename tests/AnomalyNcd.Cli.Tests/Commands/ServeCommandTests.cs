using System.Diagnostics;
using AnomalyNcd.Cli;

namespace AnomalyNcd.Cli.Tests.Commands;

/// <summary><c>serve</c> as a real process: it prints its URL, answers, and exits cleanly on SIGTERM.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_PrintsTheUrlAndStopsOnSigterm()
    {
        using var temp = TestData.NewTempFolder();
        var cli = typeof(AnomalyNcdCli).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { cli, "serve", "--data", temp.Path, "--port", "0", "--silo-port", "0", "--gateway-port", "0", "--accelerator", "cpu" })
        {
            start.ArgumentList.Add(arg);
        }

        var key = AnomalyNcd.Silo.Security.ApiKeyGrant.NewKey();
        start.Environment["ANOMALYNCD_API_KEYS"] = AnomalyNcd.Silo.Security.ApiKeyGrant.ForKey("serve-test", "viewer", key).ToString();
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            var banner = await ReadUntilAsync(process.StandardOutput, "serving on", TimeSpan.FromSeconds(90));
            var url = banner.Split("serving on ")[1].Split(' ')[0];
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            var openApi = await client.GetAsync("/openapi/v1.json");
            var anonymous = await client.GetAsync("/api/lines");
            using var withKey = new HttpRequestMessage(HttpMethod.Get, "/api/lines") { Headers = { { "X-Api-Key", key } } };
            var authorized = await client.SendAsync(withKey);
            Assert.True(openApi.IsSuccessStatusCode);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, authorized.StatusCode);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(stopped.Token);
            var rest = await process.StandardOutput.ReadToEndAsync();
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("anomalyncd stopped", rest);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.DoesNotContain("error", await errors, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Serve_AKeyInsteadOfAGrant_IsRefusedWithoutEchoingIt()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var key = AnomalyNcd.Silo.Security.ApiKeyGrant.NewKey();

        var code = await AnomalyNcdCli.RunAsync(["serve", "--api-keys", $"cam:ingest:{key}"], stdout, stderr);

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, code);
        Assert.Contains("error: --api-keys:", stderr.ToString());
        Assert.Contains("64 hex digits", stderr.ToString());
        Assert.DoesNotContain(key, stderr.ToString() + stdout);
    }

    [Fact]
    public async Task Serve_UnknownAccelerator_IsRefused()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["serve", "--accelerator", "tpu"], stdout, stderr);

        Assert.NotEqual(0, code);
        Assert.Contains("tpu", stderr.ToString());
    }

    private static async Task<string> ReadUntilAsync(StreamReader output, string marker, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var line = await output.ReadLineAsync(cancel.Token) ?? throw new InvalidOperationException($"serve exited before printing '{marker}'");
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                return line;
            }
        }
    }
}
