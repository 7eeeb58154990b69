using AnomalyNcd.Contracts;

namespace AnomalyNcd.Grains.Lines;

/// <summary>
/// Decisions other grains of a line take and the line's audit log records (today: a detector promotion), so that an
/// operator reads every promotion in one log. Only the actions named here are accepted.
/// </summary>
public static class LineAudit
{
    public static readonly IReadOnlySet<string> ExternalActions = new HashSet<string>(StringComparer.Ordinal) { "promote-detector" };

    public static Task AddAsync(ProductLineState line, DecisionLog log, LineStateWrites writes, string action, string user, string before, string after)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!ExternalActions.Contains(action) || string.IsNullOrWhiteSpace(user))
        {
            throw RequestRejectedException.Invalid($"'{action}' by '{user}' is not a decision another grain may audit on the line");
        }

        log.Add(action, user, DateTimeOffset.UtcNow, before, after);
        return writes.PersistAsync();
    }
}
