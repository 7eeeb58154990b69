using Orleans;

namespace AnomalyNcd.Silo.Tests.Persistence;

/// <summary>The persisted state of <see cref="StateTestGrain"/>.</summary>
[GenerateSerializer]
public sealed class StateTestState
{
    [Id(0)]
    public string Text { get; set; } = "";

    [Id(1)]
    public int Count { get; set; }
}
