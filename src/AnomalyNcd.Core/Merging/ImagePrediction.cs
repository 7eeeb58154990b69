namespace AnomalyNcd.Core.Merging;

/// <summary>An image-level prediction: the merged class probabilities, the winning class (first maximum) and its probability.</summary>
public sealed record ImagePrediction(IReadOnlyList<double> Probabilities, int ClassIndex, double Confidence)
{
    public static ImagePrediction FromProbabilities(IReadOnlyList<double> probabilities)
    {
        if (probabilities.Count == 0)
        {
            throw new ArgumentException("no class probabilities", nameof(probabilities));
        }

        var best = 0;
        for (var c = 1; c < probabilities.Count; c++)
        {
            if (probabilities[c] > probabilities[best])
            {
                best = c;
            }
        }

        return new ImagePrediction(probabilities, best, probabilities[best]);
    }
}
