using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Dashboard.Tests.Support;

/// <summary>Builds catalogue entries for tests.</summary>
internal static class Classes
{
    public static readonly DateTimeOffset At = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static DefectClass Of(string id, ClassStatus status, int regions, string? name = null) =>
        new(id, name, status, regions, regions, Array.Empty<RegionKey>(), At);
}
