using Orleans;
using Orleans.Runtime;

namespace AnomalyNcd.Silo.Persistence;

/// <summary>
/// Runs first in the silo lifecycle, before any provider reads OrleansQuery: creates or upgrades the
/// embedded SQLite schema, and refuses to start on a PostgreSQL schema that is missing or out of date
/// (there `anomalyncd db init` is an explicit step).
/// </summary>
internal sealed class SchemaGate(DatabaseTarget target) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaGate), ServiceLifecycleStage.First, OnStartAsync);

    private Task OnStartAsync(CancellationToken cancellationToken) => target.Kind == DatabaseKind.Sqlite
        ? DatabaseSchema.InitialiseAsync(target, cancellationToken)
        : DatabaseSchema.EnsureCurrentAsync(target, cancellationToken);
}
