using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>One listed image: the line's entry (time, label, confidence) and the image's result (artefact, region boxes; null when the image has no grain).</summary>
public sealed record Thumbnail(ImageListEntry Entry, ImageResult? Image);

/// <summary>A page of thumbnails and how many images match the filter in all.</summary>
public sealed record ThumbnailPage(IReadOnlyList<Thumbnail> Items, int Total, int Skip)
{
    public static ThumbnailPage Empty { get; } = new([], 0, 0);
}

/// <summary>A line's images filtered and paged by the line grain: the dashboard gets one page, never the whole line.</summary>
public interface IImageQuery
{
    /// <summary>The page (newest first) of <paramref name="lineId"/>'s images that match <paramref name="filter"/>; see <see cref="ImageFilter.Problem"/>.</summary>
    Task<ThumbnailPage> QueryAsync(string lineId, ImageFilter filter, int skip, int take);
}
