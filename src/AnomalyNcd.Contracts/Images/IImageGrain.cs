using AnomalyNcd.Contracts.Regions;
using Orleans.Concurrency;

namespace AnomalyNcd.Contracts.Images;

/// <summary>One image of one line (key: line/image, see <see cref="GrainKeys.Image"/>).</summary>
[Alias("anomalyncd.IImageGrain")]
public interface IImageGrain : IGrainWithStringKey
{
    /// <summary>
    /// Binarises the map (line calibration), crops the regions, stores them, classifies them when the line
    /// has a promoted model, and returns the result. Submitting the same image bytes again returns the stored
    /// result (idempotent, so a retried upload is not a duplicate); other bytes under the same id are a Conflict.
    /// </summary>
    [Alias("Submit")] Task<ImageResult> SubmitAsync(ImageSubmission submission);

    /// <summary>
    /// As <see cref="SubmitAsync"/>, but the caller records the result on the line (a batched upload records the whole
    /// batch with one <c>IProductLineGrain.RecordImagesAsync</c>); a stored image is returned as it is, for the caller to record again.
    /// </summary>
    [Alias("SubmitWithoutLineRecord")] Task<ImageResult> SubmitWithoutLineRecordAsync(ImageSubmission submission);

    [Alias("Get")] Task<ImageResult?> GetAsync();

    /// <summary>
    /// The region as this image extracted it (null when there is no such region): a region grain without state of its own
    /// starts from it. Interleaves, because the image grain may itself be waiting on that region grain.
    /// </summary>
    [AlwaysInterleave, Alias("GetExtractedRegion")] Task<RegionResult?> GetExtractedRegionAsync(int index);

    /// <summary>Classifies (again) with the line's promoted model, e.g. after a promotion.</summary>
    [Alias("Classify")] Task<ImageResult> ClassifyAsync();
}
