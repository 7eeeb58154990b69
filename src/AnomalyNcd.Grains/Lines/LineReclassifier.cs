using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;

namespace AnomalyNcd.Grains.Lines;

/// <summary>
/// Classifies a line's images under its promoted model, e.g. after a promotion: each image with regions that the
/// model has not labelled yet is classified by its image grain (which records the result on the line again).
/// </summary>
public static class LineReclassifier
{
    /// <summary>Images classified at once: enough to keep the inference pool busy without flooding the silo.</summary>
    public const int InFlight = 4;

    /// <summary>Runs on the calling grain's scheduler (no thread-pool hop), so the counters need no locking.</summary>
    public static async Task<LineReclassification> RunAsync(IGrainFactory grains, string lineId, string[] imageIds, ModelVersion model)
    {
        var classified = 0;
        var failed = 0;
        using var slots = new SemaphoreSlim(InFlight);
        await Task.WhenAll(imageIds.Select(async imageId =>
        {
            await slots.WaitAsync();
            try
            {
                if (await LabelAsync(grains.GetGrain<IImageGrain>(GrainKeys.Image(lineId, imageId)), model.Version))
                {
                    classified++;
                }
                else
                {
                    failed++;
                }
            }
            finally
            {
                slots.Release();
            }
        }));
        return new LineReclassification(model.Version, imageIds.Length, classified, failed);
    }

    /// <summary>True when the image carries a label of <paramref name="version"/> (already, or after classifying it now).</summary>
    private static async Task<bool> LabelAsync(IImageGrain image, string version)
    {
        try
        {
            // An image the line recorded but no image grain stored (recorded by hand) has nothing to classify.
            var result = await image.GetAsync();
            if (result is null)
            {
                return false;
            }

            if (!LabelledBy(result, version))
            {
                result = await image.ClassifyAsync();
            }

            return LabelledBy(result, version);
        }
        catch (Exception)
        {
            // One image's failure (a missing crop, storage briefly down) is counted, not allowed to stop the others.
            return false;
        }
    }

    private static bool LabelledBy(ImageResult result, string version) =>
        result.Status == ImageStatus.Classified && result.Label is not null && result.Regions.All(r => r.ModelVersion == version);
}
