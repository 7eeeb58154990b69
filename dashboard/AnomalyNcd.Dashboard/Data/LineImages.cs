using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Images;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>Loads a line's most recent images for the pages that rank or count over many of them.</summary>
public static class LineImages
{
    /// <summary>How many recent images the review, similarity and metrics pages look at.</summary>
    public const int DefaultWindow = 2000;

    private const int ListBatch = PageLimits.MaxTake;
    private const int Parallel = 32;

    /// <summary>Up to <paramref name="max"/> images, newest first.</summary>
    public static async Task<IReadOnlyList<ImageResult>> RecentAsync(this IDashboardData data, string lineId, int max = DefaultWindow)
    {
        var ids = new List<string>();
        while (ids.Count < max)
        {
            var take = Math.Min(ListBatch, max - ids.Count);
            var batch = await data.ListImagesAsync(lineId, ids.Count, take);
            ids.AddRange(batch);
            if (batch.Length < take)
            {
                break; // the line has no older image
            }
        }

        // Bounded fan-out: a few dozen grain calls at a time keep a big line from flooding the silo.
        var results = new ImageResult?[ids.Count];
        using var throttle = new SemaphoreSlim(Parallel);
        await Task.WhenAll(ids.Select(async (id, index) =>
        {
            await throttle.WaitAsync();
            try
            {
                results[index] = await data.GetImageAsync(lineId, id);
            }
            finally
            {
                throttle.Release();
            }
        }));
        return results.OfType<ImageResult>().ToList();
    }
}
