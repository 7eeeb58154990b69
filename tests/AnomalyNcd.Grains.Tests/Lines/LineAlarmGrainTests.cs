using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Grains.Tests.Support;

namespace AnomalyNcd.Grains.Tests.Lines;

/// <summary>Alarm rules stored through the line grain: audited, refused when invalid, evaluated over the recorded images.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LineAlarmGrainTests(ClusterFixture fixture)
{
    private static readonly ArtefactRef Png = new(new string('c', 64), "crop", "png", 10);

    [Fact]
    public async Task SetRules_AreStoredAndAudited()
    {
        var lineId = ClusterFixture.NewLineId("alarm-rules");
        var line = await LineSetup.CreateAsync(fixture.Client, lineId);
        AlarmRule[] rules = [new(AlarmKind.AnomalyRate, 10), new(AlarmKind.NewClass)];

        await line.SetAlarmRulesAsync(rules, "ada");

        Assert.Equal(rules, await line.GetAlarmRulesAsync());
        var decision = (await line.GetDecisionsAsync(0, 10)).Single(d => d.Action == "alarm-rules");
        Assert.Equal("ada", decision.User);
        Assert.Equal("[]", decision.Before);
        Assert.Contains("AnomalyRate", decision.After);
    }

    [Fact]
    public async Task InvalidRules_AreRefusedAndChangeNothing()
    {
        var line = await LineSetup.CreateAsync(fixture.Client, ClusterFixture.NewLineId("alarm-invalid"));
        await line.SetAlarmRulesAsync([new(AlarmKind.NewClass)], "ada");

        var error = await Assert.ThrowsAsync<RequestRejectedException>(() => line.SetAlarmRulesAsync([new(AlarmKind.ClassShare, 5)], "ada"));

        Assert.Equal(RejectionKind.Invalid, error.Kind);
        Assert.Contains("classId", error.Message);
        Assert.Equal([new AlarmRule(AlarmKind.NewClass)], await line.GetAlarmRulesAsync());
    }

    [Fact]
    public async Task Alarms_FireWhenTheRecordedImagesExceedARule()
    {
        var lineId = ClusterFixture.NewLineId("alarm-fire");
        var line = await LineSetup.CreateAsync(fixture.Client, lineId);
        await line.RecordImagesAsync([Result(lineId, "a", "k1"), Result(lineId, "b"), Result(lineId, "c"), Result(lineId, "d", "k2")]);
        await line.SetAlarmRulesAsync([new(AlarmKind.ClassShare, 20, "k1"), new(AlarmKind.ClassShare, 30, "k2"), new(AlarmKind.AnomalyRate, 40)], "ada");

        var alarms = await line.GetAlarmsAsync();

        Assert.Equal([AlarmKind.AnomalyRate], alarms.Select(a => a.Rule.Kind).Distinct().Where(k => k == AlarmKind.AnomalyRate));
        Assert.Equal(["k1"], alarms.Where(a => a.Rule.Kind == AlarmKind.ClassShare).Select(a => a.Rule.ClassId));
        Assert.Equal(50.0, alarms.Single(a => a.Rule.Kind == AlarmKind.AnomalyRate).Measured, 3);
    }

    [Fact]
    public async Task Activity_ListsTheRangesImagesOldestFirstAndRefusesAnEmptyRange()
    {
        var lineId = ClusterFixture.NewLineId("activity");
        var line = await LineSetup.CreateAsync(fixture.Client, lineId);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await line.RecordImagesAsync([Result(lineId, "a", "k1", "k2"), Result(lineId, "b")]);

        var activity = await line.GetActivityAsync(before, DateTimeOffset.UtcNow.AddMinutes(1));
        var error = await Assert.ThrowsAsync<RequestRejectedException>(() => line.GetActivityAsync(before, before));

        Assert.Equal([2, 0], activity.Select(a => a.ClassIds.Length));
        Assert.Equal([true, false], activity.Select(a => a.Anomalous));
        Assert.Empty(await line.GetActivityAsync(before.AddDays(-2), before.AddDays(-1)));
        Assert.Equal(RejectionKind.Invalid, error.Kind);
    }

    private static ImageResult Result(string lineId, string imageId, params string[] classes) => new(
        lineId,
        imageId,
        classes.Length == 0 ? ImageStatus.NoAnomaly : ImageStatus.Classified,
        Png,
        null,
        null,
        64,
        64,
        [.. classes.Select((c, i) => new RegionResult(new RegionKey(lineId, imageId, i), new RegionBox(0, 0, 10, 10), 50, 0.9, Png, Png, null, c, 0.9, "v1", null))],
        null,
        null,
        DateTimeOffset.UtcNow,
        DateTimeOffset.UtcNow,
        1.0);
}
