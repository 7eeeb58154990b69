using System.Text.Json;
using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>
/// Says an audit log entry in words ("renamed c2 'Spot' → 'Dark spot'") from its action and the catalogue entries the
/// line grain wrote before and after it (JSON arrays of {ClassId, Name, Status, RegionCount, ImageCount}); a promotion
/// keeps the model versions as plain text. An entry it cannot read falls back to the bare action.
/// </summary>
public static class AuditSentences
{
    public static string Describe(ClassDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Action == "promote")
        {
            return string.IsNullOrEmpty(decision.Before)
                ? $"promoted model {decision.After}"
                : $"promoted model {decision.After} (was {decision.Before})";
        }

        if (RegionSentence(decision) is { } regions)
        {
            return regions;
        }

        var before = Entries(decision.Before);
        var after = Entries(decision.After);
        if (before is null || after is null || before.Count == 0)
        {
            return decision.Action;
        }

        var first = before[0];
        return decision.Action switch
        {
            "rename" => $"renamed {first.ClassId} {Quoted(first.Name)} → {Quoted(NameAt(after, 0))}",
            "confirm" => $"confirmed {first.ClassId} as {Quoted(NameAt(after, 0) ?? first.Name)}",
            "reject" => $"rejected {first.ClassId}{Suffix(first.Name)} as not a defect",
            "merge" when before.Count > 1 =>
                $"merged {first.ClassId}{Suffix(first.Name)} into {before[1].ClassId}{Suffix(before[1].Name)} ({Regions(first.RegionCount)} moved)",
            "split" when after.Count > 1 =>
                $"split {Regions(first.RegionCount - after[0].RegionCount)} of {first.ClassId}{Suffix(first.Name)} into {after[1].ClassId}{Suffix(after[1].Name)}",
            _ => $"{decision.Action} {first.ClassId}{Suffix(first.Name)}",
        };
    }

    /// <summary>"olga · 2026-12-04 23:59:01 UTC": who and when, for the same line as the sentence.</summary>
    public static string WhoAndWhen(ClassDecision decision) =>
        $"{decision.User} · {decision.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC";

    /// <summary>A review-queue decision on single regions: the line wrote the region keys before and the class after.</summary>
    private static string? RegionSentence(ClassDecision decision)
    {
        if (!decision.Action.EndsWith("-region", StringComparison.Ordinal) || !decision.Before.StartsWith('['))
        {
            return null;
        }

        string[]? keys;
        try
        {
            keys = JsonSerializer.Deserialize<string[]>(decision.Before);
        }
        catch (JsonException)
        {
            return null;
        }

        var count = Regions(keys?.Length ?? 0);
        return decision.Action switch
        {
            ReviewPlan.RejectAction => $"rejected {count} as not a defect",
            ReviewPlan.AssignAction => $"moved {count} to {decision.After}",
            ReviewPlan.KeepAction => $"kept {count} in {decision.After}",
            _ => $"{decision.Action} on {count}",
        };
    }

    private static string Regions(int count) => count == 1 ? "1 region" : $"{count} regions";

    private static string Quoted(string? name) => name is null ? "(unnamed)" : $"'{name}'";

    private static string Suffix(string? name) => name is null ? string.Empty : $" '{name}'";

    private static string? NameAt(IReadOnlyList<Entry> entries, int index) => index < entries.Count ? entries[index].Name : null;

    private static List<Entry>? Entries(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<List<Entry>>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Entry(string ClassId, string? Name, string? Status, int RegionCount, int ImageCount);
}
