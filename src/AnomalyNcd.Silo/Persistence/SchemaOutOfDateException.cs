namespace AnomalyNcd.Silo.Persistence;

/// <summary>
/// The database has no AnomalyNcd schema, an older one, or a newer one than this build knows.
/// The message says which database, which versions, and the command that fixes it.
/// </summary>
public sealed class SchemaOutOfDateException : Exception
{
    public SchemaOutOfDateException(string message, int foundVersion, int requiredVersion)
        : base(message)
    {
        FoundVersion = foundVersion;
        RequiredVersion = requiredVersion;
    }

    /// <summary>The version the database has; 0 when it has no schema.</summary>
    public int FoundVersion { get; }

    /// <summary>The version this build needs.</summary>
    public int RequiredVersion { get; }
}
