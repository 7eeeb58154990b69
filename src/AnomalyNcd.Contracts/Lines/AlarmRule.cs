namespace AnomalyNcd.Contracts.Lines;

/// <summary>What an alarm rule measures over its window.</summary>
[GenerateSerializer, Alias("anomalyncd.AlarmKind")]
public enum AlarmKind
{
    /// <summary>Share of the window's images with a region of <see cref="AlarmRule.ClassId"/>, in percent.</summary>
    ClassShare = 0,

    /// <summary>Share of the window's images with any anomalous region, in percent.</summary>
    AnomalyRate = 1,

    /// <summary>A class still proposed (waiting to be named or rejected): fires while one exists.</summary>
    NewClass = 2,
}

/// <summary>
/// A per-line alarm rule set by an admin, e.g. "class X above 5 % of images in the last 60 minutes". Its rule (what
/// a valid rule is) lives here, used by the API and the grain alike.
/// </summary>
[GenerateSerializer, Alias("anomalyncd.AlarmRule")]
public sealed record AlarmRule(
    AlarmKind Kind,
    double? ThresholdPercent = null,
    string? ClassId = null,
    int WindowMinutes = AlarmRule.DefaultWindowMinutes)
{
    public const int DefaultWindowMinutes = 60;

    /// <summary>Longest window a rule may look back over (one week).</summary>
    public const int MaxWindowMinutes = 7 * 24 * 60;

    /// <summary>Most rules one line keeps.</summary>
    public const int MaxRules = 50;

    /// <summary>A short human description, e.g. "class k1 above 5 % of images in the last 60 min".</summary>
    public string Describe() => Kind switch
    {
        AlarmKind.ClassShare => $"class {ClassId} above {ThresholdPercent:0.##} % of images in the last {WindowMinutes} min",
        AlarmKind.AnomalyRate => $"anomaly rate above {ThresholdPercent:0.##} % in the last {WindowMinutes} min",
        _ => "a new class proposed",
    };

    /// <summary>The first problem with this rule, or null when a line may use it.</summary>
    public string? Problem()
    {
        if (!Enum.IsDefined(Kind))
        {
            return $"kind must be one of {string.Join(", ", Enum.GetNames<AlarmKind>())}";
        }

        if (Kind == AlarmKind.NewClass)
        {
            return null;
        }

        if (ThresholdPercent is not { } threshold || !double.IsFinite(threshold) || threshold < 0 || threshold >= 100)
        {
            return $"thresholdPercent must be given, at least 0 and below 100 for a {Kind} rule, got {ThresholdPercent?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}";
        }

        if (WindowMinutes < 1 || WindowMinutes > MaxWindowMinutes)
        {
            return $"windowMinutes must be between 1 and {MaxWindowMinutes}, got {WindowMinutes}";
        }

        if (Kind == AlarmKind.ClassShare && string.IsNullOrWhiteSpace(ClassId))
        {
            return "classId must be given for a ClassShare rule";
        }

        return null;
    }

    /// <summary>The first problem with a line's whole rule set (each rule, and how many), or null.</summary>
    public static string? Problem(IReadOnlyList<AlarmRule>? rules)
    {
        if (rules is null)
        {
            return "a JSON array of alarm rules is required";
        }

        if (rules.Count > MaxRules)
        {
            return $"at most {MaxRules} alarm rules per line, got {rules.Count}";
        }

        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i] is null)
            {
                return $"rule {i} is empty";
            }

            if (rules[i].Problem() is { } problem)
            {
                return $"rule {i}: {problem}";
            }
        }

        return null;
    }
}

/// <summary>An alarm that fires now: its rule, the measured value (percent, or the number of proposed classes) and since when it holds.</summary>
[GenerateSerializer, Alias("anomalyncd.ActiveAlarm")]
public sealed record ActiveAlarm(
    AlarmRule Rule,
    string Description,
    double Measured,
    DateTimeOffset Since);
