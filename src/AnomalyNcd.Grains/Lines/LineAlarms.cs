using System.Text.Json;
using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Grains.Lines;

/// <summary>The line's stored alarm rules: checks and replaces them, and writes the before/after of the audit entry.</summary>
public static class LineAlarms
{
    private static readonly JsonSerializerOptions AuditJson = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static AlarmRule[] Rules(ProductLineState line) => [.. line.AlarmRules];

    /// <summary>Replaces the rules after checking them all (nothing changes when one is invalid); answers the audit's before and after.</summary>
    public static (string Before, string After) Replace(ProductLineState line, AlarmRule[]? rules)
    {
        if (AlarmRule.Problem(rules) is { } problem)
        {
            throw RequestRejectedException.Invalid(problem);
        }

        var before = Audit(line.AlarmRules);
        line.AlarmRules = [.. rules!];
        return (before, Audit(line.AlarmRules));
    }

    public static string Audit(IEnumerable<AlarmRule> rules) => JsonSerializer.Serialize(rules, AuditJson);
}
