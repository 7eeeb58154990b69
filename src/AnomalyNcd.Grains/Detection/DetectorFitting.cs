using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Grains.Artefacts;

namespace AnomalyNcd.Grains.Detection;

/// <summary>What a fit produced: the detector folder as one zip, how many images it was fitted on, and its calibration in words.</summary>
public sealed record FittedDetector(byte[] Zip, int NormalImages, string Calibration);

/// <summary>
/// Fits a line's detector with Core's code only, as <c>anomalyncd detect fit</c> does: the extractor for the options'
/// precision, <see cref="PatchCoreDetector.Fit"/> (memory bank and normal calibration), <see cref="PatchCoreDetector.Save"/>;
/// the saved folder is zipped into one artefact. Plain C#, CPU-bound: the grain runs it on the thread pool.
/// </summary>
public static class DetectorFitting
{
    public static FittedDetector Fit(
        IReadOnlyList<string> normalImages, string line, PatchCoreOptions options, string workFolder, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        using var extractor = PatchFeatureExtractor.ForFitting(normalImages, options);
        using var detector = PatchCoreDetector.Fit(normalImages, line, extractor, options, progress, cancellationToken);
        if (detector.Calibration is not { } calibration)
        {
            // Uploads are binarised against the normal calibration; a detector without one cannot serve the line.
            throw new InvalidInputException(null, $"the detector of line '{line}' got no normal calibration from {normalImages.Count} image(s); upload more normal images and fit again");
        }

        var folder = Path.Combine(workFolder, Guid.NewGuid().ToString("N"));
        try
        {
            detector.Save(folder);
            return new FittedDetector(DeterministicZip.FromFolder(folder), detector.Metadata.FittedImages, calibration.ToString());
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
