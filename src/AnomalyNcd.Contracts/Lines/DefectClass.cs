using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Contracts.Lines;

/// <summary>One entry of a line's class catalogue. Representatives are the most typical regions first.</summary>
[GenerateSerializer, Alias("anomalyncd.DefectClass")]
public sealed record DefectClass(
    string ClassId,
    string? Name,
    ClassStatus Status,
    int RegionCount,
    int ImageCount,
    RegionKey[] Representatives,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Longest class name an operator may give (names stored before this limit still load and show).</summary>
    public const int MaxNameLength = 64;

    /// <summary>
    /// The class-name rule (length only; uniqueness depends on the line): null when <paramref name="name"/>, trimmed,
    /// has 1 to <see cref="MaxNameLength"/> characters, else a message naming the field and the limit.
    /// </summary>
    public static string? NameProblem(string? name)
    {
        var length = name?.Trim().Length ?? 0;
        return length switch
        {
            0 => "a class name is required",
            > MaxNameLength => $"a class name has at most {MaxNameLength} characters (this one has {length})",
            _ => null,
        };
    }
}
