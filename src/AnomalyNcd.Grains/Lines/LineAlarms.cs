using System.Text.Json;
using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Grains.Lines;

/// <summary>The line's stored alarm rules: checks and replaces them, and writes the before/after of the audit entry.</summary>
public static class LineAlarms
{
    private static readonly JsonSerializerOptions AuditJson = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static AlarmRule[] Rules(ProductLineState line) => [.. line.AlarmRules];

    /// <summary>Replaces the rules after checking them all (nothing changes when one is invalid) and audits the change in <paramref name="log"/>.</summary>
    public static void Replace(ProductLineState line, AlarmRule[]? rules, DecisionLog log, string user, DateTimeOffset at)
    {
        if (AlarmRule.Problem(rules) is { } problem)
        {
            throw RequestRejectedException.Invalid(problem);
        }

        var before = Audit(line.AlarmRules);
        line.AlarmRules = [.. rules!];
        log.Add("alarm-rules", user, at, before, Audit(line.AlarmRules));
    }

    public static string Audit(IEnumerable<AlarmRule> rules) => JsonSerializer.Serialize(rules, AuditJson);
}
