using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Tests.Support;

/// <summary>A decision log given by the test; answers with its move sources and records the lines asked for.</summary>
internal sealed class FakeQualityData(params ClassDecision[] log) : IQualityData
{
    public List<string> Asked { get; } = [];

    public Task<MoveSources> GetMoveSourcesAsync(string lineId)
    {
        Asked.Add(lineId);
        return Task.FromResult(MoveSources.From(log));
    }
}
