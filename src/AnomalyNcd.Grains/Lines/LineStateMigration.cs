namespace AnomalyNcd.Grains.Lines;

/// <summary>Brings a line stored in an older format up to date when it activates.</summary>
public static class LineStateMigration
{
    /// <summary>
    /// A line stored before the records had their own chunks: append its records to the chunks (skipping any a
    /// previous, interrupted attempt already moved), store them, and only then drop them from the line's state.
    /// </summary>
    public static async Task MoveRecordsOutOfStateAsync(IPersistentState<ProductLineState> state, LineImageRecords records)
    {
        var line = state.State;
        if (line.Images.Count == 0)
        {
            return;
        }

        foreach (var id in line.ImageIds.Concat(line.Images.Keys.Except(line.ImageIds, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal))
        {
            if (line.Images.TryGetValue(id, out var record) && !records.TryGet(id, out _))
            {
                record.ImageId = id;
                records.Put(record);
            }
        }

        await records.WriteChangesAsync();
        line.Images = new(StringComparer.Ordinal);
        line.ImageIds = [];
        line.ImageCount = records.Count;
        await state.WriteStateAsync();
    }
}
