using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>
/// The plant-wide vocabulary: every confirmed class name on any line, with the lines that use it, so an operator
/// naming a class on one line can reuse the name another line already gave the same defect (names compare without
/// case, as the line grain's uniqueness rule does; the first spelling seen is kept).
/// </summary>
public sealed class PlantVocabulary
{
    private readonly SortedDictionary<string, SortedSet<string>> linesByName;

    private PlantVocabulary(SortedDictionary<string, SortedSet<string>> linesByName) => this.linesByName = linesByName;

    public static PlantVocabulary Empty { get; } = new(new SortedDictionary<string, SortedSet<string>>(StringComparer.OrdinalIgnoreCase));

    public IReadOnlyCollection<string> Names => linesByName.Keys;

    public static PlantVocabulary From(IEnumerable<(string LineId, IEnumerable<DefectClass> Classes)> lines)
    {
        var linesByName = new SortedDictionary<string, SortedSet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (lineId, classes) in lines)
        {
            foreach (var named in classes.Where(c => c.Status == ClassStatus.Confirmed && !string.IsNullOrWhiteSpace(c.Name)))
            {
                var name = named.Name!.Trim();
                if (!linesByName.TryGetValue(name, out var users))
                {
                    linesByName[name] = users = new SortedSet<string>(StringComparer.Ordinal);
                }

                users.Add(lineId);
            }
        }

        return new PlantVocabulary(linesByName);
    }

    public IReadOnlyCollection<string> LinesUsing(string name) =>
        linesByName.TryGetValue(name.Trim(), out var users) ? users : [];

    /// <summary>
    /// Names worth offering when naming a class on <paramref name="lineId"/>: used elsewhere, not yet taken on this
    /// line by another class, and containing what was typed so far (all of them when nothing is typed).
    /// </summary>
    public IReadOnlyList<string> Suggestions(string lineId, string? typed, IReadOnlyList<DefectClass> lineClasses, string classId)
    {
        var taken = new HashSet<string>(
            lineClasses.Where(c => c.ClassId != classId && !string.IsNullOrWhiteSpace(c.Name)).Select(c => c.Name!.Trim()),
            StringComparer.OrdinalIgnoreCase);
        var filter = typed?.Trim() ?? string.Empty;
        return [.. linesByName
            .Where(entry => entry.Value.Any(line => line != lineId) && !taken.Contains(entry.Key))
            .Where(entry => filter.Length == 0 || entry.Key.Contains(filter, StringComparison.OrdinalIgnoreCase))
            .Select(entry => entry.Key)];
    }
}
