using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Grains.Tests.Lines;

/// <summary>The rules beside the contract records, which the API, grains, dashboard and CLI all apply: one test per rule.</summary>
public sealed class LineRulesTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(1000, true)]
    [InlineData(1001, false)]
    public void ClassCount_IsAbsentOrBetween2And1000(int? classCount, bool allowed)
    {
        var problem = LineSettings.ClassCountProblem(classCount);

        Assert.Equal(allowed, problem is null);
        if (!allowed)
        {
            Assert.Contains("classCount", problem);
            Assert.Contains("between 2 and 1000", problem);
        }
    }

    [Theory]
    [InlineData(0, "", false)]
    [InlineData(0, "   ", false)]
    [InlineData(1, "", true)]
    [InlineData(64, "  ", true)]
    [InlineData(65, "", false)]
    public void ClassName_HasOneTo64CharactersOnceTrimmed(int length, string padding, bool allowed)
    {
        var problem = DefectClass.NameProblem(new string('x', length) + padding);

        Assert.Equal(allowed, problem is null);
        Assert.NotNull(DefectClass.NameProblem(null));
        if (length > DefectClass.MaxNameLength)
        {
            Assert.Contains("at most 64", problem);
        }
    }

    [Theory]
    [InlineData(0, 0, true)]
    [InlineData(0, 500, true)]
    [InlineData(0, 501, false)]
    [InlineData(-1, 10, false)]
    [InlineData(3, -1, false)]
    public void Page_SkipsNoneOrMoreAndTakesAtMost500(int skip, int take, bool allowed)
    {
        var problem = PageLimits.Problem(skip, take);

        Assert.Equal(allowed, problem is null);
        if (!allowed)
        {
            Assert.Contains($"take={take}", problem);
            Assert.Contains("500", problem);
        }
    }

    [Fact]
    public void MebinFloor_NeedsACalibration()
    {
        var floorAlone = new LineSettings(null, null, null, null, null, MebinFloor: 40);
        var calibrated = new LineSettings(0f, 1f, null, null, null, MebinFloor: 40);

        Assert.Contains("mebinFloor", floorAlone.Problem());
        Assert.Null(calibrated.Problem());
        Assert.Contains("classCount", (calibrated with { ClassCount = 1 }).Problem());
        Assert.Contains("calibration", new LineSettings(0f, null, null, null, null).Problem());
        Assert.Contains("calibration", new LineSettings(2f, 1f, null, null, null).Problem());
    }

    [Theory]
    [InlineData("good", true)]
    [InlineData("MT_Free", true)]
    [InlineData("no good", false)]
    [InlineData("", false)]
    public void NormalGroundTruth_IsAValidClassName(string name, bool allowed)
    {
        var problem = (LineSettings.Empty with { NormalGroundTruth = name }).Problem();

        Assert.Equal(allowed, problem is null);
        if (!allowed)
        {
            Assert.Contains("normalGroundTruth", problem);
        }
    }

    [Fact]
    public void NormalGroundTruth_MarksOnlyMaplessUploadsWithExactlyThatGroundTruth()
    {
        var settings = LineSettings.Empty with { NormalGroundTruth = "good" };

        Assert.True(settings.MarksNormal("good", hasMap: false));
        Assert.False(settings.MarksNormal("good", hasMap: true));
        Assert.False(settings.MarksNormal("Good", hasMap: false));
        Assert.False(settings.MarksNormal("scratch", hasMap: false));
        Assert.False(settings.MarksNormal(null, hasMap: false));
        Assert.False(LineSettings.Empty.MarksNormal("good", hasMap: false));
    }
}
