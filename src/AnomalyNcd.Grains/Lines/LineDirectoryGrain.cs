using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Grains.Lines;

/// <summary>The plant's list of lines (key 0); a line adds itself when it is created.</summary>
public sealed class LineDirectoryGrain(
    [PersistentState("directory", GrainsSiloBuilderExtensions.StateStorage)] IPersistentState<LineDirectoryState> state)
    : Grain, ILineDirectoryGrain
{
    public async Task AddAsync(string lineId)
    {
        if (!GrainKeys.IsValidId(lineId))
        {
            throw RequestRejectedException.Invalid($"'{lineId}' is not a valid line id");
        }

        if (state.State.LineIds.Add(lineId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<string[]> ListAsync() => Task.FromResult(state.State.LineIds.Order(StringComparer.Ordinal).ToArray());
}

[GenerateSerializer, Alias("anomalyncd.LineDirectoryState")]
public sealed class LineDirectoryState
{
    [Id(0)]
    public HashSet<string> LineIds { get; set; } = new(StringComparer.Ordinal);
}
