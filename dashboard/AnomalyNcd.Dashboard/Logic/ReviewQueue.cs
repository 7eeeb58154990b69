using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>One region waiting for an operator's look, with how unsure the model is about it (0 sure … 1 no idea).</summary>
public sealed record ReviewItem(RegionResult Region, double Uncertainty, ReviewReason Reason);

public enum ReviewReason
{
    /// <summary>No class assigned (no promoted model yet, or it was not classified).</summary>
    Unassigned,

    /// <summary>Assigned to a class nobody confirmed yet: possibly a new defect type.</summary>
    Novel,

    /// <summary>Assigned to a confirmed class, but with low confidence.</summary>
    Uncertain,
}

/// <summary>
/// The review queue: regions that are unassigned, in an unconfirmed (novel) class, or below a confidence bar, most
/// uncertain first. A region stores only its winning probability, so uncertainty is 1 − confidence; unassigned
/// regions count as fully uncertain. Regions an operator already decided on are left out.
/// </summary>
public static class ReviewQueue
{
    /// <summary>Regions of confirmed classes with at least this confidence need no review.</summary>
    public const double DefaultConfidentFrom = 0.9;

    /// <summary>
    /// Ranks the candidates. <paramref name="regions"/> come in display order (newest image first, regions by index);
    /// equal uncertainties keep that order (the sort is stable).
    /// </summary>
    public static IReadOnlyList<ReviewItem> Rank(IEnumerable<RegionResult> regions, IEnumerable<DefectClass> classes, double confidentFrom = DefaultConfidentFrom)
    {
        var statusOf = classes.ToDictionary(c => c.ClassId, c => c.Status, StringComparer.Ordinal);
        var items = new List<ReviewItem>();
        foreach (var region in regions)
        {
            if (region.Decision is not null)
            {
                continue;
            }

            if (region.ClassId is null)
            {
                items.Add(new ReviewItem(region, 1.0, ReviewReason.Unassigned));
                continue;
            }

            var uncertainty = Uncertainty(region.Confidence);
            var confirmed = statusOf.TryGetValue(region.ClassId, out var status) && status == ClassStatus.Confirmed;
            if (!confirmed)
            {
                items.Add(new ReviewItem(region, uncertainty, ReviewReason.Novel));
            }
            else if (region.Confidence < confidentFrom)
            {
                items.Add(new ReviewItem(region, uncertainty, ReviewReason.Uncertain));
            }
        }

        // Unassigned first, then by uncertainty; OrderBy/ThenBy are stable, so ties keep the input order.
        return items
            .OrderBy(i => i.Reason == ReviewReason.Unassigned ? 0 : 1)
            .ThenByDescending(i => i.Uncertainty)
            .ToList();
    }

    /// <summary>1 − confidence, clamped to [0, 1] (a NaN confidence counts as no confidence).</summary>
    public static double Uncertainty(double confidence) =>
        double.IsNaN(confidence) ? 1.0 : Math.Clamp(1.0 - confidence, 0.0, 1.0);

    /// <summary>
    /// Normalised entropy of a probability distribution (0 certain … 1 uniform), for callers that have the full
    /// distribution (an image label). One or no class: 0.
    /// </summary>
    public static double NormalisedEntropy(IReadOnlyCollection<double> probabilities)
    {
        var total = probabilities.Where(p => p > 0).Sum();
        if (probabilities.Count <= 1 || total <= 0)
        {
            return 0.0;
        }

        var entropy = probabilities.Where(p => p > 0).Select(p => p / total).Sum(p => -p * Math.Log(p));
        return Math.Clamp(entropy / Math.Log(probabilities.Count), 0.0, 1.0);
    }
}
