using Xunit.Abstractions;

namespace AnomalyNcd.Core.Tests.Hostile;

/// <summary>Issue 7, acceptance 1: the generated corpus holds at least 40 cases; prints how many per entry point.</summary>
public sealed class HostileCorpusSummaryTests(ITestOutputHelper output)
{
    [Fact]
    public void GenerateCorpus_WritesAtLeastFortyCasesAcrossEveryEntryPoint()
    {
        using var temp = TestData.NewTempFolder();

        var written = HostileCorpus.Write(temp.Path);

        Assert.True(HostileCorpus.Cases.Count >= 40, $"only {HostileCorpus.Cases.Count} hostile cases");
        Assert.All(written.Values, path => Assert.True(File.Exists(path), path));
        foreach (var entry in Enum.GetValues<HostileEntry>())
        {
            Assert.NotEmpty(HostileCorpus.Of(entry));
            output.WriteLine($"{entry}: {HostileCorpus.Of(entry).Count()} cases");
        }

        output.WriteLine($"hostile cases handled: {HostileCorpus.Cases.Count} ({written.Count} generated files)");
    }
}
