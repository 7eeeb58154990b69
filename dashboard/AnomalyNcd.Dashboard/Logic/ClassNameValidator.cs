using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>Checks a class name before it is sent to the line grain (which checks again): required, bounded, unique per line.</summary>
public static class ClassNameValidator
{
    public const int MaxLength = DefectClass.MaxNameLength;

    /// <summary>Null when <paramref name="name"/> may be given to class <paramref name="classId"/>; otherwise the message to show.</summary>
    public static string? Validate(string? name, string classId, IEnumerable<DefectClass> lineClasses)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        // The length rule is the contract's (the grain applies the same); the dashboard words it as a sentence.
        if (DefectClass.NameProblem(trimmed) is { } problem)
        {
            return char.ToUpperInvariant(problem[0]) + problem[1..] + ".";
        }

        var holder = lineClasses.FirstOrDefault(c =>
            c.ClassId != classId && string.Equals(c.Name?.Trim(), trimmed, StringComparison.OrdinalIgnoreCase));
        return holder is null ? null : $"'{trimmed}' is already the name of class {holder.ClassId} on this line.";
    }
}
