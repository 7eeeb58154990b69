namespace AnomalyNcd.Silo.Persistence;

/// <summary>The databases the Orleans providers run on with our schema.</summary>
public enum DatabaseKind
{
    /// <summary>A SQLite file under the data folder: the embedded single-silo default.</summary>
    Sqlite,

    /// <summary>PostgreSQL: a cluster of silos shares it.</summary>
    Postgres,
}
