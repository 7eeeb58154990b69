using AnomalyNcd.Core.Tests.Hostile;
using AnomalyNcd.Silo.Hosting;

namespace AnomalyNcd.Silo.Tests.Hostile;

/// <summary>Issue 7, hostile-input corpus, configuration: every bad value is refused by Validate, naming the option.</summary>
public sealed class HostileConfigurationTests
{
    public static TheoryData<string> Cases => HostileCorpus.Names(HostileEntry.Configuration);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_HostileValue_RefusedNamingTheOption(string name)
    {
        var hostile = HostileCorpus.Get(name);
        var good = new AnomalyNcdServerOptions { DataFolder = "/srv/anomalyncd" };
        good.Validate();
        var bad = name switch
        {
            "config-negative-http-port" => good with { HttpPort = -1 },
            "config-silo-port-too-big" => good with { SiloPort = 70_000 },
            "config-upload-limit-zero" => good with { MaxUploadBytes = 0 },
            "config-pixel-limit-zero" => good with { MaxImagePixels = 0 },
            "config-unknown-accelerator" => good with { Accelerator = "tpu" },
            "config-listen-not-an-ip" => good with { HttpAddress = "not-an-ip" },
            "config-empty-data-folder" => good with { DataFolder = " " },
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no options for this case"),
        };

        var refused = Assert.ThrowsAny<ArgumentException>(bad.Validate);

        Assert.Contains(hostile.Problem!, refused.Message);
    }
}
