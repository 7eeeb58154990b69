using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class LineControlTests
{
    private static readonly ActiveAlarm Alarm = new(new AlarmRule(AlarmKind.NewClass), "a new class proposed", 1, Classes.At);

    [Fact]
    public void From_CountsProposedClassesAndTheirRegionsAndTheRate()
    {
        var summary = Summary("l1", 8, 2, Classes.Of("p1", ClassStatus.Proposed, 3), Classes.Of("p2", ClassStatus.Proposed, 4), Classes.Of("c", ClassStatus.Confirmed, 9, "Dent"));

        var control = LineControl.From(summary, []);

        Assert.Equal((2, 7, LineHealth.Ok), (control.ClassesWaiting, control.RegionsWaiting, control.Health));
        Assert.Equal(0.25, control.AnomalyRate, 6);
    }

    [Fact]
    public void From_ComparesTheLastHourWithTheUsualRate()
    {
        var now = Classes.At;
        ImageActivity[] lastHour = [new(now, true, ["k"]), new(now, true, [null]), new(now, false, []), new(now, true, ["k"])];

        var control = LineControl.From(Summary("l1", 10, 1), [], lastHour);

        Assert.Equal(0.75, control.LastHourRate!.Value, 6);
        Assert.Equal($"{0.75:P1} last hour vs {0.1:P1} usual", control.RateComparison);
        Assert.Null(LineControl.From(Summary("l1", 10, 1), [], []).LastHourRate);
    }

    [Fact]
    public void Order_PutsAlarmsFirstThenPendingWork()
    {
        var quiet = LineControl.From(Summary("a", 0, 0), []);
        var busy = LineControl.From(Summary("b", 1, 1, Classes.Of("p", ClassStatus.Proposed, 1)), []);
        var alarmed = LineControl.From(Summary("c", 1, 0), [Alarm]);

        Assert.Equal(["c", "b", "a"], LineControl.Order([quiet, busy, alarmed]).Select(l => l.LineId));
        Assert.Equal(LineHealth.Alarm, alarmed.Health);
    }

    private static LineSummary Summary(string id, int images, int anomalous, params DefectClass[] classes) =>
        new(id, LineSettings.Empty, images, anomalous, classes.Sum(c => c.RegionCount), classes, null, Array.Empty<ModelVersion>(), Classes.At);
}
