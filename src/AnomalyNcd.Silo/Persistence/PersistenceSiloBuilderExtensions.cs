using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Session;
using Orleans.Storage;

namespace AnomalyNcd.Silo.Persistence;

/// <summary>Wires the Orleans ADO.NET providers to a database that carries our schema.</summary>
public static class PersistenceSiloBuilderExtensions
{
    /// <summary>
    /// Grain state (store <see cref="StorageNames.Default"/>, also the default store) and reminders in
    /// <paramref name="target"/>; with <paramref name="clustering"/> also the membership table (several
    /// silos on one database form a cluster). Without it the caller chooses clustering (the embedded
    /// silo uses localhost clustering). The schema is checked (PostgreSQL) or created (SQLite) before
    /// any provider starts. State is written in <paramref name="stateFormat"/> and read in either format
    /// (<see cref="StateSerializer"/>).
    /// </summary>
    public static ISiloBuilder UseAnomalyNcdPersistence(this ISiloBuilder builder, DatabaseTarget target, bool clustering, StateFormat stateFormat = StateFormat.Binary)
    {
        ArgumentNullException.ThrowIfNull(target);
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new SchemaGate(target));
        // The JSON side is Orleans' own JSON storage serializer, so rows written before the binary format keep loading.
        builder.Services.AddSingleton(services => new StateSerializer(
            services.GetRequiredService<Serializer>(),
            services.GetRequiredService<SerializerSessionPool>(),
            ActivatorUtilities.CreateInstance<JsonGrainStorageSerializer>(services),
            stateFormat));
        if (clustering)
        {
            builder.UseAdoNetClustering(options =>
            {
                options.Invariant = target.Invariant;
                options.ConnectionString = target.ConnectionString;
            });
        }

        builder.AddAdoNetGrainStorage(StorageNames.Default, options => ConfigureStorage(options, target));
        builder.AddAdoNetGrainStorageAsDefault(options => ConfigureStorage(options, target));
        if (target.Kind == DatabaseKind.Sqlite)
        {
            SerializeWrites(builder.Services, StorageNames.Default);
            SerializeWrites(builder.Services, ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        }

        builder.UseAdoNetReminderService(options =>
        {
            options.Invariant = target.Invariant;
            options.ConnectionString = target.ConnectionString;
        });
        return builder;
    }

    /// <summary>Wraps the grain storage registered as <paramref name="name"/> in <see cref="SerializedWritesGrainStorage"/>.</summary>
    internal static void SerializeWrites(IServiceCollection services, string name)
    {
        var registered = services.Single(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name));
        var create = registered.KeyedImplementationFactory
            ?? throw new InvalidOperationException($"grain storage '{name}' is not registered through a factory; cannot serialize its writes");
        services.Remove(registered);
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, key) => new SerializedWritesGrainStorage((IGrainStorage)create(provider, key)));
    }

    private static void ConfigureStorage(OptionsBuilder<AdoNetGrainStorageOptions> options, DatabaseTarget target) =>
        options.Configure<StateSerializer>((storage, serializer) =>
        {
            storage.Invariant = target.Invariant;
            storage.ConnectionString = StorageConnectionString(target);
            storage.GrainStorageSerializer = serializer;
        });

    /// <summary>Statements Npgsql may keep prepared per connection for grain storage, unless the connection string says otherwise.</summary>
    public const int StorageAutoPrepared = 16;

    /// <summary>
    /// The grain-state connection string. On PostgreSQL it lets Npgsql prepare the provider's few statements (read,
    /// write, clear) once per connection instead of having the server parse and plan them for every image, and it
    /// skips the session reset when a connection goes back to the pool: those statements leave no session state (no
    /// SET, temporary table, LISTEN or advisory lock), and with prepared statements kept Npgsql's reset is a batch
    /// of commands (CLOSE ALL, RESET ALL, UNLISTEN *, …) the server would run for every grain read and write. A
    /// connection string that sets <c>Max Auto Prepare</c> or <c>No Reset On Close</c> itself keeps its value.
    /// </summary>
    public static string StorageConnectionString(DatabaseTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Kind != DatabaseKind.Postgres)
        {
            return target.ConnectionString;
        }

        // The plain builder keeps only the keys the string names (Npgsql's answers for every keyword it knows).
        var given = new DbConnectionStringBuilder { ConnectionString = target.ConnectionString }.Keys
            .Cast<string>()
            .Select(key => key.Replace(" ", string.Empty, StringComparison.Ordinal))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        if (!given.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = StorageAutoPrepared;
        }

        if (!given.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
