using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class TrendBucketsTests
{
    private static readonly DateTimeOffset Day = new(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);

    private static ImageActivity Image(double hours, params string?[] classes) => new(Day.AddHours(hours), classes.Length > 0, classes);

    [Fact]
    public void PerHour_CountsImagesAnomaliesAndClassesInTheirHour_AndKeepsEmptyHours()
    {
        var buckets = new TrendBuckets(TimeZoneInfo.Utc).PerHour(
            [Image(8.1, "k1", "k1"), Image(8.9), Image(10.5, "k2", null)], Day.AddHours(8.5), Day.AddHours(11));

        Assert.Equal([8, 9, 10], buckets.Select(b => b.Start.Hour));
        Assert.Equal([2, 0, 1], buckets.Select(b => b.Images));
        Assert.Equal(0.5, buckets[0].AnomalyRate, 6);
        Assert.Equal(2, buckets[0].ClassCounts["k1"]);
        Assert.Equal(1, buckets[2].ClassCounts["unclassified"]);
        Assert.Equal(0, buckets[1].AnomalyRate);
    }

    [Fact]
    public void PerShift_UsesTheDefaultShifts_AndANightShiftCrossesMidnight()
    {
        var buckets = new TrendBuckets(TimeZoneInfo.Utc).PerShift(
            [Image(5, "k1"), Image(6), Image(13.9, "k1"), Image(14), Image(23), Image(29, "k1")], Day.AddHours(3), Day.AddHours(30));

        Assert.Equal([Day.AddHours(-2), Day.AddHours(6), Day.AddHours(14), Day.AddHours(22)], buckets.Select(b => b.Start));
        Assert.Equal([1, 2, 1, 2], buckets.Select(b => b.Images));
        Assert.Equal([1, 1, 0, 1], buckets.Select(b => b.AnomalousImages));
    }

    [Fact]
    public void ShiftStart_FollowsTheZoneAndConfiguredShifts()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2");
        var twoShifts = new TrendBuckets(zone, [18, 6]);

        // 03:30 UTC is 05:30 local: still the night shift that started at 18:00 local the day before.
        var start = twoShifts.ShiftStart(Day.AddHours(3.5));

        Assert.Equal(new DateTimeOffset(2026, 12, 3, 18, 0, 0, TimeSpan.FromHours(2)), start);
        Assert.Equal([6, 18], twoShifts.ShiftStarts);
    }
}
