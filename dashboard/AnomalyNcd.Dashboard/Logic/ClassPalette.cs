namespace AnomalyNcd.Dashboard.Logic;

/// <summary>A stable colour per class id (the same on every page and after a restart), grey for unassigned regions.</summary>
public static class ClassPalette
{
    public const string Unassigned = "#9e9e9e";

    private static readonly string[] Colours =
    [
        "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4",
        "#f032e6", "#bfef45", "#469990", "#9a6324", "#800000", "#000075",
    ];

    public static string For(string? classId)
    {
        if (string.IsNullOrEmpty(classId))
        {
            return Unassigned;
        }

        // FNV-1a: string.GetHashCode is randomised per process, which would recolour classes on restart.
        var hash = 2166136261u;
        foreach (var c in classId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return Colours[hash % (uint)Colours.Length];
    }
}
