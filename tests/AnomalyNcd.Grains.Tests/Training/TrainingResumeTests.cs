using System.Text.RegularExpressions;
using AnomalyNcd.Contracts.Training;
using Xunit.Abstractions;

namespace AnomalyNcd.Grains.Tests.Training;

[Collection("training-cluster")]
public class TrainingResumeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillSiloMidRun_JobResumesFromItsCheckpointOnTheOtherSilo()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var cluster = await TrainingCluster.StartAsync(2, TimeSpan.FromMilliseconds(800));
        await cluster.World.AddLineAsync("line-r", imagesPerKind: 6, seed: 4);
        var training = cluster.Client.GetGrain<ITrainingGrain>("line-r");
        await training.StartAsync(new TrainingRequest(2, Epochs: 6, Seed: 5, RequestedBy: "test"));
        var running = (await cluster.WaitAsync("line-r", s => s.Epoch >= 2, TimeSpan.FromSeconds(60)))[^1];
        var host = cluster.Cluster.Silos.Single(s => s.SiloAddress.ToString() == running.SiloAddress);

        await cluster.Cluster.KillSiloAsync(host);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: killed {running.SiloAddress} at epoch {running.Epoch}");
        var final = (await cluster.WaitAsync("line-r", s => s.State != TrainingState.Running, TimeSpan.FromSeconds(60)))[^1];
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {final.State} on {final.SiloAddress}: {final.Message}");

        Assert.True(final.State == TrainingState.Completed, final.Message);
        Assert.NotEqual(running.SiloAddress, final.SiloAddress);
        var resumedFrom = int.Parse(Regex.Match(final.Message!, @"resumed from epoch (\d+)").Groups[1].Value);
        Assert.InRange(resumedFrom, 1, 5);
        Assert.Equal(6, final.LossHistory.Length);
        Assert.Single(cluster.World.Models["line-r"]);
    }
}
