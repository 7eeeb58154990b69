using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Data;

namespace AnomalyNcd.Dashboard.Tests.Support;

/// <summary>
/// Lists the images of a <see cref="Dashboard.Data.IDashboardData"/> fake (newest first), keeping only the filter's class and
/// status (the real rule runs in the line grain); remembers every query so tests see what a component asked for.
/// </summary>
internal sealed class FakeImageQuery(IDashboardData data) : IImageQuery
{
    public List<(string LineId, ImageFilter Filter, int Skip, int Take)> Queries { get; } = [];

    public async Task<ThumbnailPage> QueryAsync(string lineId, ImageFilter filter, int skip, int take)
    {
        Queries.Add((lineId, filter, skip, take));
        var all = new List<Thumbnail>();
        foreach (var id in await data.ListImagesAsync(lineId, 0, int.MaxValue))
        {
            if (await data.GetImageAsync(lineId, id) is not { } image)
            {
                continue;
            }

            var best = image.Regions.Where(r => r.ClassId is not null).MaxBy(r => r.Confidence);
            var entry = new ImageListEntry(id, image.ProcessedAt ?? image.ReceivedAt, best?.ClassId, best?.Confidence, image.Regions.Length);
            var keep = (filter.ClassId is null || image.Regions.Any(r => r.ClassId == filter.ClassId))
                && filter.Status switch
                {
                    ImageFilterStatus.NoAnomaly => image.Regions.Length == 0,
                    ImageFilterStatus.Anomalous => image.Regions.Length > 0,
                    _ => true,
                };
            if (keep)
            {
                all.Add(new Thumbnail(entry, image));
            }
        }

        return new ThumbnailPage([.. all.Skip(skip).Take(take)], all.Count, skip);
    }
}
