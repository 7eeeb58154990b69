namespace AnomalyNcd.Contracts.Lines;

/// <summary>The plant's list of lines (a singleton, key 0), so the API and dashboard can enumerate them.</summary>
[Alias("anomalyncd.ILineDirectoryGrain")]
public interface ILineDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Add")] Task AddAsync(string lineId);

    [Alias("List")] Task<string[]> ListAsync();
}
