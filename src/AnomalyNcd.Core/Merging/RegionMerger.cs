namespace AnomalyNcd.Core.Merging;

/// <summary>
/// Image-level prediction from its crops (method-spec §10.2): probabilities averaged with weights
/// α = softmax(sqrt(area_k) / T), area_k = foreground pixels of crop k's mask. Larger anomalies count more.
/// </summary>
public static class RegionMerger
{
    /// <summary>α_k = softmax(sqrt(area_k) / T) over one image's crops.</summary>
    public static double[] AreaWeights(IReadOnlyList<long> foregroundAreas, double temperature)
    {
        if (foregroundAreas.Count == 0)
        {
            throw new ArgumentException("an image needs at least one crop", nameof(foregroundAreas));
        }

        if (!(temperature > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive");
        }

        var scaled = foregroundAreas.Select(a => a >= 0
            ? Math.Sqrt(a) / temperature
            : throw new ArgumentOutOfRangeException(nameof(foregroundAreas), a, "areas must be non-negative")).ToArray();
        var peak = scaled.Max();
        var weights = scaled.Select(s => Math.Exp(s - peak)).ToArray();
        var total = weights.Sum();
        return weights.Select(w => w / total).ToArray();
    }

    /// <summary>
    /// Merges per-crop class probabilities (already restricted to the novel classes) into one prediction.
    /// A single crop's probabilities are returned unchanged.
    /// </summary>
    public static ImagePrediction Merge(IReadOnlyList<IReadOnlyList<double>> cropProbabilities, IReadOnlyList<long> foregroundAreas, double temperature)
    {
        if (cropProbabilities.Count != foregroundAreas.Count)
        {
            throw new ArgumentException($"{cropProbabilities.Count} crop probability vectors but {foregroundAreas.Count} areas");
        }

        if (cropProbabilities.Count == 0)
        {
            throw new ArgumentException("an image needs at least one crop", nameof(cropProbabilities));
        }

        var classCount = cropProbabilities[0].Count;
        if (cropProbabilities.Any(p => p.Count != classCount))
        {
            throw new ArgumentException("all crops must have the same number of class probabilities", nameof(cropProbabilities));
        }

        if (cropProbabilities.Count == 1)
        {
            return ImagePrediction.FromProbabilities(cropProbabilities[0].ToArray());
        }

        var weights = AreaWeights(foregroundAreas, temperature);
        var merged = new double[classCount];
        for (var k = 0; k < cropProbabilities.Count; k++)
        {
            for (var c = 0; c < classCount; c++)
            {
                merged[c] += weights[k] * cropProbabilities[k][c];
            }
        }

        return ImagePrediction.FromProbabilities(merged);
    }
}
