using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class ImageFilterFormTests
{
    [Fact]
    public void EmptyFields_MakeNoCriterion()
    {
        var (filter, problem) = new ImageFilterForm().ToFilter(24);

        Assert.Null(problem);
        Assert.Equal(ImageFilter.None, filter);
    }

    [Fact]
    public void Fields_MakeTheFilter_TimesReadAsUtc()
    {
        var form = new ImageFilterForm { ClassId = " c1 ", Status = ImageFilterStatus.Classified, MinConfidence = "0.25", MaxConfidence = "1", From = "2026-12-01T08:00", To = "2026-12-01T16:30" };

        var (filter, problem) = form.ToFilter(24);

        Assert.Null(problem);
        Assert.Equal(
            new ImageFilter("c1", ImageFilterStatus.Classified, 0.25, 1, new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 16, 30, 0, TimeSpan.Zero)),
            filter);
    }

    [Theory]
    [InlineData("abc", "", "", "minConfidence 'abc'")]
    [InlineData("", "2", "", "maxConfidence must be between 0 and 1")]
    [InlineData("", "", "yesterday", "from 'yesterday'")]
    public void BadFields_NameTheProblem(string min, string max, string from, string expected)
    {
        var (filter, problem) = new ImageFilterForm { MinConfidence = min, MaxConfidence = max, From = from }.ToFilter(24);

        Assert.Null(filter);
        Assert.Contains(expected, problem);
    }
}
