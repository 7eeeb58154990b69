using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Grains.Lines;

namespace AnomalyNcd.Grains.Tests.Lines;

/// <summary>The alarm rules evaluated without a cluster, at a fixed time.</summary>
public sealed class AlarmEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static RecordedImage Image(int minutesAgo, params string?[] classes) => new()
    {
        ImageId = $"i{minutesAgo}-{classes.Length}",
        At = Now.AddMinutes(-minutesAgo),
        Regions = [.. classes.Select((c, i) => new RecordedRegion(i, c, 0.9))],
    };

    private static DefectClass Class(string id, ClassStatus status, int minutesAgo = 0) =>
        new(id, null, status, 1, 1, [], Now.AddMinutes(-minutesAgo));

    [Fact]
    public void ClassShare_AboveThreshold_FiresWithTheShareAndTheFirstMatchingImage()
    {
        RecordedImage[] images = [Image(50, "k1"), Image(40), Image(30, "k2"), Image(10, "k1", "k2"), Image(90, "k1")];
        var rule = new AlarmRule(AlarmKind.ClassShare, 5, "k1");

        var alarm = Assert.Single(AlarmEvaluator.Evaluate([rule], images, [], Now));

        Assert.Equal(50.0, alarm.Measured, 3);
        Assert.Equal(Now.AddMinutes(-50), alarm.Since);
        Assert.Same(rule, alarm.Rule);
        Assert.Contains("k1", alarm.Description);
    }

    [Fact]
    public void ClassShare_AtOrBelowThreshold_DoesNotFire()
    {
        RecordedImage[] images = [Image(50, "k1"), Image(40), Image(30), Image(20)];

        Assert.Empty(AlarmEvaluator.Evaluate([new AlarmRule(AlarmKind.ClassShare, 25, "k1")], images, [], Now));
        Assert.Single(AlarmEvaluator.Evaluate([new AlarmRule(AlarmKind.ClassShare, 24.9, "k1")], images, [], Now));
    }

    [Fact]
    public void AnomalyRate_CountsOnlyImagesInsideTheWindow()
    {
        RecordedImage[] images = [Image(61, "k1"), Image(61, "k1"), Image(30, (string?)null), Image(20), Image(5)];

        var hour = AlarmEvaluator.Evaluate([new AlarmRule(AlarmKind.AnomalyRate, 40)], images, [], Now);
        var twoHours = AlarmEvaluator.Evaluate([new AlarmRule(AlarmKind.AnomalyRate, 40, WindowMinutes: 120)], images, [], Now);

        Assert.Empty(hour);
        Assert.Equal(60.0, Assert.Single(twoHours).Measured, 3);
    }

    [Fact]
    public void RateRules_OnAnEmptyWindow_DoNotFire()
    {
        Assert.Empty(AlarmEvaluator.Evaluate([new AlarmRule(AlarmKind.AnomalyRate, 0)], [Image(200, "k1")], [], Now));
    }

    [Fact]
    public void ImagesAfterNow_AreIgnored()
    {
        var future = new RecordedImage { ImageId = "f", At = Now.AddMinutes(5), Regions = [new RecordedRegion(0, "k1", 1)] };

        Assert.Empty(AlarmEvaluator.Evaluate([new AlarmRule(AlarmKind.AnomalyRate, 0)], [future, Image(5)], [], Now));
    }

    [Fact]
    public void NewClass_FiresWhileAProposedClassExists_SinceTheOldest()
    {
        var rule = new AlarmRule(AlarmKind.NewClass);
        DefectClass[] classes = [Class("a", ClassStatus.Confirmed, 300), Class("b", ClassStatus.Proposed, 20), Class("c", ClassStatus.Proposed, 45)];

        var alarm = Assert.Single(AlarmEvaluator.Evaluate([rule], [], classes, Now));

        Assert.Equal(2, alarm.Measured);
        Assert.Equal(Now.AddMinutes(-45), alarm.Since);
        Assert.Empty(AlarmEvaluator.Evaluate([rule], [], [Class("a", ClassStatus.Confirmed), Class("r", ClassStatus.Rejected)], Now));
    }
}
