namespace AnomalyNcd.Core.Common;

/// <summary>
/// Folder listings sorted by ordinal (code-point) order, as Python's sorted() does, skipping hidden
/// entries such as .DS_Store that would otherwise become classes or shift pairings (method-spec B3).
/// </summary>
public static class OrdinalPaths
{
    public static IReadOnlyList<string> Files(string folder, params string[] extensions)
    {
        if (!Directory.Exists(folder))
        {
            throw new InvalidInputException(folder, "folder does not exist");
        }

        var wanted = new HashSet<string>(extensions.Select(e => e.StartsWith('.') ? e : "." + e), StringComparer.OrdinalIgnoreCase);
        return Directory.EnumerateFiles(folder)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Where(f => wanted.Count == 0 || wanted.Contains(Path.GetExtension(f)))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
    }

    public static IReadOnlyList<string> Folders(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new InvalidInputException(folder, "folder does not exist");
        }

        return Directory.EnumerateDirectories(folder)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .OrderBy(d => d, StringComparer.Ordinal)
            .ToList();
    }
}
