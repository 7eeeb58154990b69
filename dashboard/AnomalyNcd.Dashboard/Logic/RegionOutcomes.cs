using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>What operators did with a region the model classified.</summary>
public enum OperatorVerdict
{
    /// <summary>Its class is still proposed and nobody decided about the region.</summary>
    Undecided = 0,

    /// <summary>Left in the predicted class, and that class was confirmed.</summary>
    Kept = 1,

    /// <summary>Moved to another class (merge, split, reassignment).</summary>
    Moved = 2,

    /// <summary>Rejected as not a defect (on its own or with its whole class).</summary>
    Rejected = 3,
}

/// <summary>One classified region: the model's class and confidence, and what operators made of it.</summary>
public sealed record RegionOutcome(string PredictedClassId, double Confidence, string? ModelVersion, OperatorVerdict Verdict, string? DecidedClassId);

/// <summary>Turns region records into outcomes; the rule of what counts as kept, moved or rejected lives here only.</summary>
public static class RegionOutcomes
{
    /// <summary>Shown for a moved region whose source class the audit log does not name.</summary>
    public const string UnknownClass = "?";

    public static IReadOnlyList<RegionOutcome> From(IEnumerable<ImageResult> images, IEnumerable<DefectClass> classes, MoveSources sources)
    {
        var status = classes.ToDictionary(c => c.ClassId, c => c.Status, StringComparer.Ordinal);
        return images.SelectMany(i => i.Regions).Select(r => Of(r, status, sources)).OfType<RegionOutcome>().ToList();
    }

    /// <summary>Null for a region the model never classified and no operator decided about.</summary>
    public static RegionOutcome? Of(RegionResult region, IReadOnlyDictionary<string, ClassStatus> status, MoveSources sources)
    {
        if (region.Decision is not { } decision)
        {
            if (region.ClassId is not { } classId)
            {
                return null;
            }

            var verdict = status.GetValueOrDefault(classId) switch
            {
                ClassStatus.Confirmed => OperatorVerdict.Kept,
                ClassStatus.Rejected => OperatorVerdict.Rejected,
                _ => OperatorVerdict.Undecided,
            };
            return new RegionOutcome(classId, region.Confidence, region.ModelVersion, verdict, verdict == OperatorVerdict.Undecided ? null : classId);
        }

        var predicted = sources.SourceOf(decision) ?? UnknownClass;
        var rejected = decision.ClassId is null
            || string.Equals(decision.Action, "reject", StringComparison.OrdinalIgnoreCase)
            || status.GetValueOrDefault(decision.ClassId) == ClassStatus.Rejected;
        var outcome = rejected ? OperatorVerdict.Rejected
            : decision.ClassId == predicted ? OperatorVerdict.Kept
            : OperatorVerdict.Moved;
        return new RegionOutcome(predicted, region.Confidence, region.ModelVersion, outcome, decision.ClassId);
    }
}
