using System.Text.Json;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>
/// The class a moved region came from. A region's record keeps only its current class and the operator's decision
/// (action, new class, when); the line's audit log holds, for the same action at the same instant, the classes before
/// the change: the first of them is the source (a merge logs source then target, a split its source).
/// </summary>
public sealed class MoveSources
{
    private readonly Dictionary<(string Action, DateTimeOffset At), string> sources;

    private MoveSources(Dictionary<(string Action, DateTimeOffset At), string> sources) => this.sources = sources;

    public static MoveSources None { get; } = new([]);

    public int Count => sources.Count;

    public static MoveSources From(IEnumerable<ClassDecision> log)
    {
        var sources = new Dictionary<(string, DateTimeOffset), string>();
        foreach (var entry in log)
        {
            if (FirstClassId(entry.Before) is { } source)
            {
                sources[(entry.Action, entry.At)] = source;
            }
        }

        return new MoveSources(sources);
    }

    /// <summary>The class the decision took the region out of, or null when the log does not say.</summary>
    public string? SourceOf(OperatorDecision decision) =>
        sources.TryGetValue((decision.Action, decision.At), out var source) ? source : null;

    private static string? FirstClassId(string before)
    {
        if (string.IsNullOrWhiteSpace(before))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(before);
            var root = json.RootElement;
            var first = root.ValueKind == JsonValueKind.Array ? (root.GetArrayLength() > 0 ? root[0] : default) : root;
            return first.ValueKind == JsonValueKind.Object && first.TryGetProperty("ClassId", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null; // an entry not written as JSON names no source
        }
    }
}
