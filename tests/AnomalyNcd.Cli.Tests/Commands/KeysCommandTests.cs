using AnomalyNcd.Cli;
using AnomalyNcd.Silo.Security;

namespace AnomalyNcd.Cli.Tests.Commands;

/// <summary><c>keys new</c>: a fresh key for the client and the grant (its hash only) for the server.</summary>
public sealed class KeysCommandTests
{
    [Fact]
    public async Task KeysNew_PrintsAKeyAndAGrantThatAcceptsIt()
    {
        var first = await Run("keys", "new", "--name", "camera-7", "--role", "ingest");
        var second = await Run("keys", "new", "--name", "camera-7", "--role", "ingest");

        Assert.Equal(AnomalyNcdCli.ExitOk, first.Code);
        var lines = first.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var key = Assert.Single(lines, line => line.StartsWith(ApiKeyGrant.KeyPrefix, StringComparison.Ordinal));
        var setting = Assert.Single(lines, line => line.StartsWith("ANOMALYNCD_API_KEYS=", StringComparison.Ordinal));
        var grant = Assert.Single(ApiKeyGrant.ParseList(setting["ANOMALYNCD_API_KEYS=".Length..], "test"));
        grant.Validate("test");
        Assert.Equal(new ApiKeyGrant("camera-7", "ingest", ApiKeyGrant.HashOf(key)), grant);
        Assert.DoesNotContain(key, setting);
        Assert.Same(grant, new ApiKeyRing([grant]).Find(key));
        Assert.Null(new ApiKeyRing([grant]).Find(key + "x"));
        Assert.NotEqual(first.Out, second.Out);
    }

    [Fact]
    public async Task KeysNew_UnknownRole_IsRefused()
    {
        var run = await Run("keys", "new", "--role", "root");

        Assert.NotEqual(AnomalyNcdCli.ExitOk, run.Code);
        Assert.Contains("root", run.Error);
    }

    [Fact]
    public async Task KeysNew_BadName_IsRefusedNamingTheOption()
    {
        var run = await Run("keys", "new", "--name", "two words");

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, run.Code);
        Assert.Contains("error: --name:", run.Error);
    }

    private static async Task<(int Code, string Out, string Error)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AnomalyNcdCli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
