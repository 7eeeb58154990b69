using System.Diagnostics;
using AnomalyNcd.Silo.Tests.Cluster;
using AnomalyNcd.Silo.Tests.Support;
using Xunit.Abstractions;

namespace AnomalyNcd.Silo.Tests.Deploy;

/// <summary>deploy/local-cluster.sh with the built CLI: PostgreSQL, schema, two silos that see each other, then a clean stop.</summary>
[Trait(TestCategories.Trait, TestCategories.Cluster)]
[Collection(PostgresCollection.Name)]
public class LocalClusterScriptTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunCheck_TwoSilosFormOneClusterAndTheScriptExitsZero()
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(CliBuild.RepositoryRoot, "deploy", "local-cluster.sh"));
        start.ArgumentList.Add("--check");
        start.Environment["ANOMALYNCD_CLI"] = CliBuild.DllPath;
        // No keys from the developer's shell: the script then mints its own and checks 401/200 with it.
        start.Environment.Remove("ANOMALYNCD_API_KEYS");
        start.Environment.Remove("ANOMALYNCD_API_KEY");
        var clock = Stopwatch.StartNew();
        using var script = Process.Start(start)!;
        var stdout = script.StandardOutput.ReadToEndAsync();
        var stderr = script.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        try
        {
            await script.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM lets the script's trap stop the silos and the database.
            Process.Start("kill", ["-TERM", $"{script.Id}"])?.WaitForExit(5000);
            await script.WaitForExitAsync();
        }

        var text = await stdout + await stderr;
        output.WriteLine($"local-cluster.sh --check: exit {script.ExitCode} after {clock.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine(text);
        Assert.Equal(0, script.ExitCode);
        Assert.Contains("check passed", text);
        Assert.Contains("\"activeSilos\":2", text);
        Assert.Contains("api: 401 without a key, 200 with it", text);
    }
}
