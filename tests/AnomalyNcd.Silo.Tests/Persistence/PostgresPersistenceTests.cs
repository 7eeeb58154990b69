using System.Text.Json;
using AnomalyNcd.Silo.Persistence;
using AnomalyNcd.Silo.Tests.Support;
using Npgsql;

namespace AnomalyNcd.Silo.Tests.Persistence;

[Trait(TestCategories.Trait, TestCategories.Integration)]
[Collection(PostgresCollection.Name)]
public sealed class PostgresPersistenceTests(PostgresServer server) : PersistenceTests
{
    protected override async Task<DatabaseTarget> NewDatabaseAsync() =>
        DatabaseTarget.Postgres(await server.CreateDatabaseAsync());

    protected override string StateTextFromJsonSql => "SELECT payload_json ->> 'Text' FROM anomalyncd_grain_state_json";

    protected override bool WritesQueuedInProcess => false;

    [Fact]
    public async Task SiloStart_IsRefusedWithoutTheSchema()
    {
        var target = await NewDatabaseAsync();

        var error = await Record.ExceptionAsync(() => PersistenceCluster.StartAsync(target));

        var schemaError = FindSchemaError(error);
        Assert.NotNull(schemaError);
        Assert.Contains("has no AnomalyNcd schema", schemaError.Message);
        Assert.Contains("anomalyncd db init --postgres", schemaError.Message);
    }

    [Fact]
    public async Task ReadState_OnAGrownTableWithoutStatisticsGoesThroughThePrimaryKey()
    {
        var target = await InitialisedDatabaseAsync();
        // 5 000 image states arrive before autovacuum has analysed the table (a busy line's first minutes).
        await ExecuteAsync(target, """
            INSERT INTO anomalyncd_grain_state (service_id, grain_type_hash, grain_type, grain_id_hash, grain_id_n0,
                grain_id_n1, grain_id_extension, version, payload_binary, modified_at)
            SELECT 'plan', 17, 'image', i, 0, 0, 'line/img' || i, 1, '\x00'::bytea, now()
            FROM generate_series(1, 5000) AS i
            """);
        var readQuery = (string)(await ScalarAsync(target, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'ReadFromStorageKey'"))!;

        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync();
        await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, FORMAT JSON) " + readQuery, connection);
        explain.Parameters.AddWithValue("ServiceId", "plan");
        explain.Parameters.AddWithValue("GrainTypeHash", 17);
        explain.Parameters.AddWithValue("GrainTypeString", "image");
        explain.Parameters.AddWithValue("GrainIdHash", 4321);
        explain.Parameters.AddWithValue("GrainIdN0", 0L);
        explain.Parameters.AddWithValue("GrainIdN1", 0L);
        explain.Parameters.AddWithValue("GrainIdExtensionString", "line/img4321");
        var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!).RootElement[0].GetProperty("Plan");

        // Version 3 let the planner pick the (service_id, grain_type) index here and filter all 5 000 rows.
        Assert.Equal("anomalyncd_grain_state_pkey", plan.GetProperty("Index Name").GetString());
        Assert.Equal(1, plan.GetProperty("Actual Rows").GetInt32());
        Assert.False(plan.TryGetProperty("Rows Removed by Filter", out var removed) && removed.GetInt64() > 0, $"rows filtered after the index: {removed}");
    }

    [Fact]
    public void DisplayName_LeavesThePasswordOut()
    {
        var target = DatabaseTarget.Postgres("Host=db.example;Port=5433;Database=lines;Username=u;Password=secret");

        Assert.Equal("postgres://db.example:5433/lines", target.DisplayName);
        Assert.DoesNotContain("secret", target.ToString());
    }
}
