using AnomalyNcd.Core.Common;
using OpenCvSharp;

namespace AnomalyNcd.Core.Detection;

/// <summary>
/// Learns a detector's <see cref="NormalCalibration"/> at fit time: up to N evenly spaced training images are scored
/// against the bank without their own rows (<see cref="LeaveOneOutScorer"/>), i.e. as unseen normal images. The
/// even-numbered ones give the position reference (each cell's mean distance on the detector's 28×28 grid, whatever the
/// image's own grid), the odd-numbered ones the score statistics, so adjusted scores come from images the reference
/// has not seen (with fewer than four images both use all).
/// </summary>
internal static class NormalCalibrator
{
    public static NormalCalibration? Calibrate(
        PatchCoreDetector detector,
        float[] bank,
        IReadOnlyList<ImagePatches> extracted,
        int[] origins,
        int calibrationNormals,
        IProgress<ProgressUpdate>? progress,
        CancellationToken cancellationToken)
    {
        if (extracted.Count < 2)
        {
            return null;
        }

        var count = Math.Min(calibrationNormals, extracted.Count);
        var chosen = Enumerable.Range(0, count).Select(i => (int)((long)i * extracted.Count / count)).ToArray();
        using var scorer = new LeaveOneOutScorer(bank, detector.Metadata.Dimension, origins);
        var distances = new float[count][];
        for (var k = 0; k < count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            distances[k] = scorer.Distances(extracted[chosen[k]].Patches, chosen[k]);
            progress?.Report(new ProgressUpdate("calibrate", k + 1, count));
        }

        var referenceSet = count >= 4 ? Enumerable.Range(0, count).Where(k => k % 2 == 0).ToArray() : [.. Enumerable.Range(0, count)];
        var statisticsSet = count >= 4 ? Enumerable.Range(0, count).Where(k => k % 2 == 1).ToArray() : referenceSet;
        var grid = detector.Metadata.GridSize;
        var cellsOf = referenceSet.Select(k => OnGrid(distances[k], extracted[chosen[k]], grid)).ToList();
        var (reference, spread) = PositionStatistics(cellsOf, grid * grid);
        var raw = statisticsSet.Select(k => detector.Finish(distances[k], extracted[chosen[k]])).ToList();
        var calibration = NormalCalibration.FromMaps(raw) with
        {
            GridSize = grid,
            SmoothingSigma = detector.Metadata.SmoothingSigma,
            PositionReference = reference,
            PositionSpread = spread,
        };
        var adjusted = new List<float>();
        var standardized = new List<float>();
        var topShare = new List<float>();
        foreach (var map in raw)
        {
            var mean = calibration.RenderReference(map.Width, map.Height);
            var deviation = calibration.RenderSpread(map.Width, map.Height);
            float peak = float.MinValue, standardPeak = float.MinValue;
            var standard = new float[mean.Length];
            for (var i = 0; i < mean.Length; i++)
            {
                peak = Math.Max(peak, map.Values[i] - mean[i]);
                standard[i] = (map.Values[i] - mean[i]) / deviation[i];
                standardPeak = Math.Max(standardPeak, standard[i]);
            }

            adjusted.Add(peak);
            standardized.Add(standardPeak);
            topShare.Add(Maps.TopShareScore.Of(standard));
        }

        return calibration with
        {
            AdjustedImageScores = [.. adjusted.Order()],
            StandardizedImageScores = [.. standardized.Order()],
            StandardizedTopShareScores = [.. topShare.Order()],
        };
    }

    /// <summary>Per cell: the mean and the standard deviation (at least a fraction of the median one) over the images.</summary>
    internal static (float[] Mean, float[] Spread) PositionStatistics(IReadOnlyList<float[]> cellsOfImages, int cells)
    {
        var mean = new float[cells];
        var spread = new float[cells];
        for (var c = 0; c < cells; c++)
        {
            double sum = 0, squares = 0;
            foreach (var image in cellsOfImages)
            {
                sum += image[c];
                squares += (double)image[c] * image[c];
            }

            var average = sum / cellsOfImages.Count;
            mean[c] = (float)average;
            spread[c] = (float)Math.Sqrt(Math.Max(0, (squares / cellsOfImages.Count) - (average * average)));
        }

        var sorted = spread.Order().ToArray();
        var floor = Math.Max(sorted[sorted.Length / 2] * NormalCalibration.SpreadFloorFraction, 1e-6f);
        for (var c = 0; c < cells; c++)
        {
            spread[c] = Math.Max(spread[c], floor);
        }

        return (mean, spread);
    }

    /// <summary>An image's distance grid resampled to grid×grid (the identity for a squashed image).</summary>
    private static float[] OnGrid(float[] distances, ImagePatches geometry, int grid)
    {
        if (geometry.Columns == grid && geometry.Rows == grid)
        {
            return distances;
        }

        using var source = Mat.FromPixelData(geometry.Rows, geometry.Columns, MatType.CV_32FC1, distances);
        using var resized = new Mat();
        Cv2.Resize(source, resized, new Size(grid, grid), interpolation: InterpolationFlags.Area);
        resized.GetArray(out float[] values);
        return values;
    }
}
