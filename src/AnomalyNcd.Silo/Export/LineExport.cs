using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Silo.Export;

/// <summary>
/// Exports a line's stored results: reads the class catalogue once, then pages through the line's image list
/// (<see cref="PageLimits.MaxTake"/> ids a page, newest first) and hands each image in the time range, with its regions'
/// latest state (the region grains hold operator decisions), to the format's writer. An image listed again on a later
/// page (new images shift the pages while the export runs) is written once; an image the line counts but that has no
/// stored result (recorded without an upload) is left out.
/// </summary>
public sealed class LineExport(ILineResults results)
{
    public const int PageSize = PageLimits.MaxTake;

    /// <summary>False when the line does not exist (nothing is written).</summary>
    public Task<bool> LineExistsAsync(string line) => results.LineExistsAsync(line);

    /// <summary>Writes the export of <paramref name="line"/> with <paramref name="writer"/>; returns the number of images written.</summary>
    public async Task<int> WriteAsync(string line, ExportQuery query, IExportWriter writer, CancellationToken cancellationToken)
    {
        var catalogue = new ExportCatalogue(await results.GetClassesAsync(line));
        await writer.BeginAsync(catalogue, cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var written = 0;
        for (var skip = 0; ; skip += PageSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ids = await results.ListImagesAsync(line, skip, PageSize);
            var fresh = ids.Where(seen.Add).ToArray();
            var images = await Task.WhenAll(fresh.Select(id => results.GetImageAsync(line, id)));
            var included = images.OfType<ImageResult>().Where(image => query.Includes(image.ReceivedAt)).ToArray();
            var regions = await Task.WhenAll(included.Select(LatestRegionsAsync));
            for (var i = 0; i < included.Length; i++)
            {
                await writer.WriteAsync(catalogue.ToExport(included[i], regions[i]), cancellationToken);
                written++;
            }

            if (ids.Length < PageSize)
            {
                break;
            }
        }

        await writer.EndAsync(cancellationToken);
        return written;
    }

    private async Task<RegionResult[]> LatestRegionsAsync(ImageResult image) =>
        image.Regions.Length == 0
            ? []
            : await Task.WhenAll(image.Regions.Select(results.GetRegionAsync));
}
