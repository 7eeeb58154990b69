using Orleans;

namespace AnomalyNcd.Silo.Tests.Persistence;

/// <summary>A grain whose only job is to persist a small state through the "state" store.</summary>
public interface IStateTestGrain : IGrainWithStringKey
{
    Task WriteAsync(string text, int count);

    Task<StateTestSnapshot> ReadAsync();

    Task ClearAsync();

    /// <summary>Deactivates after this call; the next call activates afresh and reads the store.</summary>
    Task DeactivateAsync();
}
