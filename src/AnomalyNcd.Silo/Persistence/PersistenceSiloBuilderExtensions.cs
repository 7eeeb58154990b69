using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;

namespace AnomalyNcd.Silo.Persistence;

/// <summary>Wires the Orleans ADO.NET providers to a database that carries our schema.</summary>
public static class PersistenceSiloBuilderExtensions
{
    /// <summary>
    /// Grain state (store <see cref="StorageNames.Default"/>, also the default store) and reminders in
    /// <paramref name="target"/>; with <paramref name="clustering"/> also the membership table (several
    /// silos on one database form a cluster). Without it the caller chooses clustering (the embedded
    /// silo uses localhost clustering). The schema is checked (PostgreSQL) or created (SQLite) before
    /// any provider starts.
    /// </summary>
    public static ISiloBuilder UseAnomalyNcdPersistence(this ISiloBuilder builder, DatabaseTarget target, bool clustering)
    {
        ArgumentNullException.ThrowIfNull(target);
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new SchemaGate(target));
        if (clustering)
        {
            builder.UseAdoNetClustering(options =>
            {
                options.Invariant = target.Invariant;
                options.ConnectionString = target.ConnectionString;
            });
        }

        builder.AddAdoNetGrainStorage(StorageNames.Default, options =>
        {
            options.Invariant = target.Invariant;
            options.ConnectionString = target.ConnectionString;
        });
        builder.AddAdoNetGrainStorageAsDefault(options =>
        {
            options.Invariant = target.Invariant;
            options.ConnectionString = target.ConnectionString;
        });
        builder.UseAdoNetReminderService(options =>
        {
            options.Invariant = target.Invariant;
            options.ConnectionString = target.ConnectionString;
        });
        return builder;
    }
}
