using AnomalyNcd.Cli.Commands;
using AnomalyNcd.Core.Common;
using Microsoft.Extensions.Configuration;

namespace AnomalyNcd.Cli.Tests.Commands;

/// <summary><c>serve</c>'s settings bound from configuration keys (the <c>ANOMALYNCD_*</c> names without the prefix).</summary>
public sealed class ServeSettingsTests
{
    [Fact]
    public void Bind_NoKeys_GivesTheDocumentedDefaults()
    {
        var settings = ServeSettings.Bind(new ConfigurationBuilder().Build());

        Assert.Equal("anomalyncd-data", settings.Store);
        Assert.Equal(5080, settings.HttpPort);
        Assert.Equal(11111, settings.SiloPort);
        Assert.Equal(30000, settings.GatewayPort);
        Assert.Equal(32, settings.MaxUploadMegabytes);
        Assert.False(settings.AllowCpuFallback);
        Assert.Null(settings.Postgres);
        Assert.Null(settings.ArtefactQuotaMegabytes);
    }

    [Fact]
    public void Bind_Keys_FillTheirSettingsAndTypedOptionsWin()
    {
        var configuration = ServeSettings.Configuration(new Dictionary<string, string?> { ["HTTP_PORT"] = "0", ["ALLOW_CPU_FALLBACK"] = "True" });
        var layered = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["HTTP_PORT"] = "8080", ["SILO_PORT"] = "12000", ["ARTEFACT_QUOTA_MB"] = "1.5", ["POSTGRES"] = "Host=db" })
            .AddConfiguration(configuration)
            .Build();

        var settings = ServeSettings.Bind(layered);

        Assert.Equal(0, settings.HttpPort);
        Assert.True(settings.AllowCpuFallback);
        Assert.Equal(12000, settings.SiloPort);
        Assert.Equal(1.5, settings.ArtefactQuotaMegabytes);
        Assert.Equal("Host=db", settings.Postgres);
    }

    [Theory]
    [InlineData("HTTP_PORT", "eighty", "'eighty' is not a whole number")]
    [InlineData("ALLOW_CPU_FALLBACK", "maybe", "'maybe' is not true or false")]
    [InlineData("ARTEFACT_QUOTA_MB", "-3", "'-3' is not a positive number of MiB")]
    public void Bind_ValueOfTheWrongType_IsRefusedNamingItsVariable(string key, string value, string problem)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

        var error = Assert.Throws<InvalidInputException>(() => ServeSettings.Bind(configuration));

        Assert.Equal("ANOMALYNCD_" + key, error.InputPath);
        Assert.Equal(problem, error.Problem);
    }
}
