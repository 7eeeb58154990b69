namespace AnomalyNcd.Silo.Persistence;

/// <summary>Names of the grain storage providers the silo registers.</summary>
public static class StorageNames
{
    /// <summary>The ADO.NET grain state store (also registered as the default store).</summary>
    public const string Default = "state";
}
