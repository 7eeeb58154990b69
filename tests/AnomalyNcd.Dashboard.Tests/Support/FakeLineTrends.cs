using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Data;

namespace AnomalyNcd.Dashboard.Tests.Support;

/// <summary>Image activity set per line by the test, filtered to the asked range; none for any other line.</summary>
internal sealed class FakeLineTrends : ILineTrends
{
    public Dictionary<string, ImageActivity[]> Activity { get; } = new(StringComparer.Ordinal);

    public Task<ImageActivity[]> GetActivityAsync(string lineId, DateTimeOffset from, DateTimeOffset to) =>
        Task.FromResult(Activity.GetValueOrDefault(lineId, []).Where(a => a.At >= from && a.At < to).ToArray());
}
