using System.Globalization;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>A model's plain verdict and the rule that decided it, in words an operator reads.</summary>
public sealed record ReadinessVerdict(string ModelVersion, bool Ready, string Reason)
{
    public string Label => Ready ? ModelReadiness.ReadyLabel : ModelReadiness.NeedsReviewLabel;
}

/// <summary>
/// "Ready" or "needs review" for a model, from what operators did with the regions it classified. Ready needs
/// <see cref="MinDecidedRegions"/> decided regions, at least <see cref="MinKeptShare"/> of them kept, and no class
/// (with at least <see cref="MinClassDecided"/> decided regions) that operators moved or rejected more than
/// <see cref="MaxClassChangedShare"/> of. The first rule that fails is the reason given.
/// </summary>
public static class ModelReadiness
{
    public const string ReadyLabel = "ready";

    public const string NeedsReviewLabel = "needs review";

    public const int MinDecidedRegions = 50;

    public const double MinKeptShare = 0.90;

    public const int MinClassDecided = 10;

    public const double MaxClassChangedShare = 0.25;

    /// <summary>The rule in one line, shown beside the verdicts.</summary>
    public static string Rule { get; } =
        string.Create(CultureInfo.InvariantCulture, $"ready: ≥ {MinDecidedRegions} decided regions, ≥ {MinKeptShare:P0} kept, and no class (of ≥ {MinClassDecided} decided) with more than {MaxClassChangedShare:P0} moved or rejected");

    /// <summary>One verdict per model version found on the outcomes, newest name last (ordinal).</summary>
    public static IReadOnlyList<ReadinessVerdict> PerModel(IEnumerable<RegionOutcome> outcomes) =>
        outcomes.Where(o => o.ModelVersion is not null)
            .GroupBy(o => o.ModelVersion!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Judge(g.Key, g.ToList()))
            .ToList();

    public static ReadinessVerdict Judge(string modelVersion, IReadOnlyList<RegionOutcome> outcomes)
    {
        var classes = ClassQuality.From(outcomes);
        var decided = classes.Sum(c => c.Decided);
        var kept = classes.Sum(c => c.Kept);
        if (decided < MinDecidedRegions)
        {
            return new(modelVersion, false, string.Create(CultureInfo.InvariantCulture, $"needs review: {decided} decided regions, fewer than {MinDecidedRegions}"));
        }

        var keptShare = (double)kept / decided;
        if (keptShare < MinKeptShare)
        {
            return new(modelVersion, false, string.Create(CultureInfo.InvariantCulture, $"needs review: {keptShare:P0} of {decided} decided regions kept (needs ≥ {MinKeptShare:P0})"));
        }

        var worst = classes.Where(c => c.Decided >= MinClassDecided)
            .OrderByDescending(c => c.MovedShare + c.RejectedShare).ThenBy(c => c.ClassId, StringComparer.Ordinal)
            .FirstOrDefault(c => c.MovedShare + c.RejectedShare > MaxClassChangedShare);
        if (worst is not null)
        {
            var (share, what) = worst.MovedShare >= worst.RejectedShare ? (worst.MovedShare, "moved") : (worst.RejectedShare, "rejected");
            return new(modelVersion, false, string.Create(CultureInfo.InvariantCulture, $"needs review: {share:P0} of class {worst.ClassId}'s regions {what}"));
        }

        return new(modelVersion, true, string.Create(CultureInfo.InvariantCulture, $"ready: {decided} decided regions and {keptShare:P0} kept"));
    }
}
