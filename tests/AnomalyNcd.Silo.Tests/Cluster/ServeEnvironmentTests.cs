using AnomalyNcd.Silo.Tests.Support;

namespace AnomalyNcd.Silo.Tests.Cluster;

/// <summary><c>serve</c> takes its defaults from ANOMALYNCD_* variables (as containers set them); typed options win.</summary>
[Trait(TestCategories.Trait, TestCategories.Cluster)]
[Collection(PostgresCollection.Name)]
public class ServeEnvironmentTests
{
    [Fact]
    public async Task ServeWithoutOptions_UsesStorePortsAndAcceleratorFromEnvironment_OptionWinsOverVariable()
    {
        using var temp = TestData.NewTempFolder();
        var store = temp.Combine("store");
        var httpPort = ServeProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["ANOMALYNCD_STORE"] = store,
            ["ANOMALYNCD_HTTP_PORT"] = $"{httpPort}",
            ["ANOMALYNCD_SILO_PORT"] = $"{ServeProcess.FreePort()}",
            ["ANOMALYNCD_GATEWAY_PORT"] = $"{ServeProcess.FreePort()}",
            ["ANOMALYNCD_ACCELERATOR"] = "cuda",
            ["ANOMALYNCD_ALLOW_CPU_FALLBACK"] = "false",
        };

        // --accelerator on the command line overrides ANOMALYNCD_ACCELERATOR; everything else comes from the variables.
        using var silo = ServeProcess.StartWith("env", ["--accelerator", "cpu"], httpPort, environment);
        var health = await silo.WaitHealthyAsync(1, TimeSpan.FromSeconds(90));

        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal("cpu", health.GetProperty("accelerator").GetString());
        Assert.True(File.Exists(Path.Combine(store, "anomalyncd.db")), $"no embedded database under {store}:\n{silo.Log}");
        Assert.Contains($"127.0.0.1:{httpPort}", silo.Log);
    }

    [Fact]
    public async Task ServeWithBadVariable_ExitsWithAnErrorNamingIt()
    {
        using var temp = TestData.NewTempFolder();
        var environment = new Dictionary<string, string> { ["ANOMALYNCD_STORE"] = temp.Path, ["ANOMALYNCD_HTTP_PORT"] = "eighty" };
        using var silo = ServeProcess.StartWith("bad-env", [], ServeProcess.FreePort(), environment);

        var exit = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exit);
        Assert.Contains("ANOMALYNCD_HTTP_PORT", silo.Log);
        Assert.Contains("'eighty' is not a whole number", silo.Log);
    }
}
