using System.Globalization;
using AnomalyNcd.Silo.Persistence;
using Orleans;
using Orleans.Runtime;

namespace AnomalyNcd.Silo.Tests.Persistence;

/// <summary>
/// The real Orleans ADO.NET providers running our schema and query texts. Each database kind
/// derives from this class, so every test runs on SQLite and on PostgreSQL.
/// </summary>
public abstract class PersistenceTests
{
    /// <summary>A fresh, empty database of the kind under test.</summary>
    protected abstract Task<DatabaseTarget> NewDatabaseAsync();

    /// <summary>SQL that returns the persisted state's Text field read through the JSON column.</summary>
    protected abstract string StateTextFromJsonSql { get; }

    [Fact]
    public async Task WriteState_ReadsBackThenClears()
    {
        var target = await InitialisedDatabaseAsync();
        await using var cluster = await PersistenceCluster.StartAsync(target);
        var grain = cluster.Client.GetGrain<IStateTestGrain>("line-a");

        await grain.WriteAsync("hello", 3);
        var written = await grain.ReadAsync();
        await grain.WriteAsync("hello again", 4);
        var rewritten = await grain.ReadAsync();
        await grain.ClearAsync();
        var cleared = await grain.ReadAsync();

        Assert.Equal(new StateTestSnapshot("hello", 3, true, "1"), written);
        Assert.Equal(new StateTestSnapshot("hello again", 4, true, "2"), rewritten);
        Assert.Equal("", cleared.Text);
        Assert.Equal(0, cleared.Count);
        Assert.False(cleared.RecordExists);
        // The cleared row stays, without payload, one version on.
        Assert.Equal(1L, await CountAsync(target, "SELECT COUNT(*) FROM anomalyncd_grain_state WHERE payload_binary IS NULL AND version = 3"));
    }

    [Fact]
    public async Task WriteState_IsQueryableAsJson()
    {
        var target = await InitialisedDatabaseAsync();
        await using var cluster = await PersistenceCluster.StartAsync(target);

        await cluster.Client.GetGrain<IStateTestGrain>("line-json").WriteAsync("queryable", 7);

        Assert.Equal("queryable", await ScalarAsync(target, StateTextFromJsonSql));
    }

    [Fact]
    public async Task State_SurvivesDeactivationAndSiloRestart()
    {
        var target = await InitialisedDatabaseAsync();
        var serviceId = "restart-" + Guid.NewGuid().ToString("N")[..8];
        await using (var first = await PersistenceCluster.StartAsync(target, serviceId: serviceId))
        {
            var grain = first.Client.GetGrain<IStateTestGrain>("line-b");
            await grain.WriteAsync("kept", 11);
            await grain.DeactivateAsync();
            Assert.Equal(new StateTestSnapshot("kept", 11, true, "1"), await grain.ReadAsync());
        }

        await using var second = await PersistenceCluster.StartAsync(target, serviceId: serviceId);
        var reloaded = await second.Client.GetGrain<IStateTestGrain>("line-b").ReadAsync();

        Assert.Equal(new StateTestSnapshot("kept", 11, true, "1"), reloaded);
    }

    [Fact]
    public async Task Membership_TwoSilosAreActiveInTheTable()
    {
        var target = await InitialisedDatabaseAsync();
        await using var cluster = await PersistenceCluster.StartAsync(target, silos: 2);

        var hosts = await cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);

        Assert.Equal(2, hosts.Count);
        Assert.Equal(2L, await CountAsync(target, $"SELECT COUNT(*) FROM anomalyncd_membership WHERE status = {(int)SiloStatus.Active}"));
        Assert.True(await CountAsync(target, "SELECT MAX(version) FROM anomalyncd_membership_version") >= 2);
    }

    [Fact]
    public async Task Reminder_RegistersReadsBackAndUnregisters()
    {
        var target = await InitialisedDatabaseAsync();
        await using var cluster = await PersistenceCluster.StartAsync(target);
        var grain = cluster.Client.GetGrain<IReminderTestGrain>("line-c");

        await grain.RegisterAsync("recalibrate", TimeSpan.FromMinutes(2));
        var existed = await grain.ExistsAsync("recalibrate");
        var storedPeriod = await CountAsync(target, "SELECT period_ms FROM anomalyncd_reminder WHERE reminder_name = 'recalibrate'");
        await grain.UnregisterAsync("recalibrate");

        Assert.True(existed);
        Assert.Equal(120_000L, storedPeriod);
        Assert.False(await grain.ExistsAsync("recalibrate"));
        Assert.Equal(0L, await CountAsync(target, "SELECT COUNT(*) FROM anomalyncd_reminder"));
    }

    [Fact]
    public async Task Initialise_TwiceIsIdempotent()
    {
        var target = await NewDatabaseAsync();

        var first = await DatabaseSchema.InitialiseAsync(target);
        var second = await DatabaseSchema.InitialiseAsync(target);

        Assert.Equal(DatabaseSchema.CurrentVersion, first);
        Assert.Equal(DatabaseSchema.CurrentVersion, second);
        Assert.Equal(DatabaseSchema.CurrentVersion, await CountAsync(target, "SELECT COUNT(*) FROM anomalyncd_schema"));
        Assert.Equal(SchemaScripts.RequiredQueryKeys.Count, await CountAsync(target, "SELECT COUNT(*) FROM OrleansQuery"));
        await DatabaseSchema.EnsureCurrentAsync(target);
    }

    [Fact]
    public async Task Initialise_UpgradesAnOlderSchema()
    {
        var target = await NewDatabaseAsync();
        await DatabaseSchema.InitialiseAsync(target, 1, CancellationToken.None);
        var stale = await Assert.ThrowsAsync<SchemaOutOfDateException>(() => DatabaseSchema.EnsureCurrentAsync(target));

        var reached = await DatabaseSchema.InitialiseAsync(target);

        Assert.Equal(1, stale.FoundVersion);
        Assert.Equal(DatabaseSchema.CurrentVersion, reached);
        await DatabaseSchema.EnsureCurrentAsync(target);
        // Version 2 added the JSON view of grain state.
        Assert.Equal(0L, await CountAsync(target, "SELECT COUNT(payload_json) FROM anomalyncd_grain_state"));
    }

    [Fact]
    public async Task EnsureCurrent_FailsClearlyOnAnEmptyDatabase()
    {
        var target = await NewDatabaseAsync();

        var error = await Assert.ThrowsAsync<SchemaOutOfDateException>(() => DatabaseSchema.EnsureCurrentAsync(target));

        Assert.Equal(0, error.FoundVersion);
        Assert.Contains($"database {target.DisplayName} has no AnomalyNcd schema", error.Message);
        Assert.Contains("anomalyncd db init", error.Message);
    }

    [Fact]
    public async Task EnsureCurrent_FailsClearlyOnALoweredVersion()
    {
        var target = await InitialisedDatabaseAsync();
        await ExecuteAsync(target, $"DELETE FROM anomalyncd_schema WHERE version = {DatabaseSchema.CurrentVersion}");

        var error = await Assert.ThrowsAsync<SchemaOutOfDateException>(() => DatabaseSchema.EnsureCurrentAsync(target));

        var expected = $"database {target.DisplayName} has schema version {DatabaseSchema.CurrentVersion - 1}, this build needs {DatabaseSchema.CurrentVersion}; run `anomalyncd db init";
        Assert.StartsWith(expected, error.Message);
    }

    protected async Task<DatabaseTarget> InitialisedDatabaseAsync()
    {
        var target = await NewDatabaseAsync();
        await DatabaseSchema.InitialiseAsync(target);
        return target;
    }

    protected static async Task<object?> ScalarAsync(DatabaseTarget target, string sql)
    {
        await using var connection = target.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    protected static async Task<long> CountAsync(DatabaseTarget target, string sql) =>
        Convert.ToInt64(await ScalarAsync(target, sql), CultureInfo.InvariantCulture);

    protected static async Task ExecuteAsync(DatabaseTarget target, string sql)
    {
        await using var connection = target.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>True when <paramref name="error"/> or an inner exception is a <see cref="SchemaOutOfDateException"/>.</summary>
    protected static SchemaOutOfDateException? FindSchemaError(Exception? error) => error switch
    {
        null => null,
        SchemaOutOfDateException schema => schema,
        AggregateException aggregate => aggregate.InnerExceptions.Select(FindSchemaError).FirstOrDefault(found => found is not null),
        _ => FindSchemaError(error.InnerException),
    };
}
