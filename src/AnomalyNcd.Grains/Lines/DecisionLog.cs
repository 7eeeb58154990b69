using System.Text.Json;
using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Grains.Lines;

/// <summary>The line's audit log of operator decisions (who, when, before and after), oldest first in the state, capped.</summary>
public sealed class DecisionLog(ProductLineState line, string lineId)
{
    public const int MaxDecisions = 5000;

    private static readonly JsonSerializerOptions AuditJson = new() { WriteIndented = false };

    /// <summary>How catalogue entries appear in <see cref="ClassDecision.Before"/> and <see cref="ClassDecision.After"/>.</summary>
    public static string Audit(params CatalogueEntry[] entries) =>
        JsonSerializer.Serialize(entries.Select(e => new { e.ClassId, e.Name, Status = e.Status.ToString(), e.RegionCount, e.ImageCount }), AuditJson);

    public void Add(string action, string user, DateTimeOffset at, string before, string after)
    {
        line.Decisions.Add(new ClassDecision(lineId, action, user, at, before, after));
        if (line.Decisions.Count > MaxDecisions)
        {
            line.Decisions.RemoveRange(0, line.Decisions.Count - MaxDecisions);
        }
    }

    /// <summary>Newest first; the page must satisfy <see cref="PageLimits"/>.</summary>
    public ClassDecision[] Page(int skip, int take)
    {
        var decisions = line.Decisions;
        var page = new List<ClassDecision>(Math.Min(take, decisions.Count));
        for (var i = decisions.Count - 1 - skip; i >= 0 && page.Count < take; i--)
        {
            page.Add(decisions[i]);
        }

        return [.. page];
    }
}
