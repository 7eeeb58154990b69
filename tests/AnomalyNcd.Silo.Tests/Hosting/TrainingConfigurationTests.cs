using AnomalyNcd.Grains.Training;
using Microsoft.Extensions.Configuration;

namespace AnomalyNcd.Silo.Tests.Hosting;

/// <summary>The host binds the <c>Training</c> section onto <see cref="TrainingGrainOptions"/>, nested discovery records included.</summary>
public sealed class TrainingConfigurationTests
{
    [Fact]
    public void Bind_TrainingSection_SetsNestedDiscoverySettingsAndKeepsTheOthers()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Training:EpochPause"] = "00:00:01",
            ["Training:Discovery:Threads"] = "1",
            ["Training:Discovery:Training:BatchSize"] = "16",
            ["Training:Discovery:Encoder:EmbedDim"] = "32",
        }).Build();
        var options = new TrainingGrainOptions();

        configuration.GetSection("Training").Bind(options);

        Assert.Equal(TimeSpan.FromSeconds(1), options.EpochPause);
        Assert.Equal(1, options.Discovery.Threads);
        Assert.Equal(16, options.Discovery.Training.BatchSize);
        Assert.Equal(32, options.Discovery.Encoder.EmbedDim);
        // Settings not named keep their platform defaults.
        Assert.True(options.Discovery.Training.Objective.MeanEntropyOverNovelClassesOnly);
        Assert.Equal(new TrainingGrainOptions().Discovery.Encoder.Heads, options.Discovery.Encoder.Heads);
    }
}
