namespace AnomalyNcd.Silo.Persistence;

/// <summary>How grain state is written to the state table (either format is always readable).</summary>
public enum StateFormat
{
    /// <summary>Orleans' binary serializer behind a short marker: the cheapest to write and read (the default).</summary>
    Binary,

    /// <summary>JSON as Orleans' JsonGrainStorageSerializer writes it: readable in SQL through the view <c>anomalyncd_grain_state_json</c>.</summary>
    Json,
}
