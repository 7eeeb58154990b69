using Orleans;

namespace AnomalyNcd.Silo.Tests.Persistence;

/// <summary>What <see cref="IStateTestGrain"/> holds: the state values, whether a record exists, and its ETag.</summary>
[GenerateSerializer]
public sealed record StateTestSnapshot([property: Id(0)] string Text, [property: Id(1)] int Count, [property: Id(2)] bool RecordExists, [property: Id(3)] string? ETag);
