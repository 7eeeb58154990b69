using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>The line grain filters and pages; the page's image grains (concurrently) give each thumbnail its artefact and boxes.</summary>
public sealed class GrainImageQuery(IGrainFactory grains) : IImageQuery
{
    public async Task<ThumbnailPage> QueryAsync(string lineId, ImageFilter filter, int skip, int take)
    {
        var page = await grains.GetGrain<IProductLineGrain>(lineId).QueryImagesAsync(filter, skip, take);
        var images = await Task.WhenAll(page.Items.Select(entry => ImageOrNullAsync(lineId, entry.ImageId)));
        return new ThumbnailPage([.. page.Items.Zip(images, (entry, image) => new Thumbnail(entry, image))], page.Total, page.Skip);
    }

    // A record without an image grain (recorded by hand, never ingested) still lists, without a picture.
    private async Task<ImageResult?> ImageOrNullAsync(string lineId, string imageId)
    {
        try
        {
            return await grains.GetGrain<IImageGrain>(GrainKeys.Image(lineId, imageId)).GetAsync();
        }
        catch (RequestRejectedException missing) when (missing.Kind == RejectionKind.NotFound)
        {
            return null;
        }
    }
}
