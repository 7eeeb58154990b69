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

    [Alias("Get")] Task<ImageResult?> GetAsync();

    /// <summary>Classifies (again) with the line's promoted model, e.g. after a promotion.</summary>
    [Alias("Classify")] Task<ImageResult> ClassifyAsync();
}
