using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Grains.Lines;

/// <summary>The line's image records in a time range, as trends count them.</summary>
public static class LineActivity
{
    public static ImageActivity[] Between(IEnumerable<RecordedImage> images, DateTimeOffset from, DateTimeOffset to)
    {
        if (ImageActivity.RangeProblem(from, to) is { } problem)
        {
            throw RequestRejectedException.Invalid(problem);
        }

        return [.. images
            .Where(i => i.At >= from && i.At < to)
            .OrderBy(i => i.At)
            .Select(i => new ImageActivity(i.At, i.Regions.Count > 0, [.. i.Regions.Select(r => r.ClassId)]))];
    }
}
