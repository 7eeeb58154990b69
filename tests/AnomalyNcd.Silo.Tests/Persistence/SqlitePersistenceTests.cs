using AnomalyNcd.Silo.Persistence;
using Microsoft.Data.Sqlite;

namespace AnomalyNcd.Silo.Tests.Persistence;

public sealed class SqlitePersistenceTests : PersistenceTests, IDisposable
{
    private readonly TempFolder folder = TestData.NewTempFolder();

    protected override Task<DatabaseTarget> NewDatabaseAsync() =>
        Task.FromResult(DatabaseTarget.Sqlite(Path.Combine(folder.Path, Guid.NewGuid().ToString("N"), "anomalyncd.db")));

    protected override string StateTextFromJsonSql => "SELECT json_extract(payload_json, '$.Text') FROM anomalyncd_grain_state_json";

    protected override bool WritesQueuedInProcess => true;

    [Fact]
    public async Task SiloStart_CreatesTheSchemaOnFirstStart()
    {
        var target = DatabaseTarget.SqliteInDataFolder(Path.Combine(folder.Path, "data"));

        await using (var cluster = await PersistenceCluster.StartAsync(target))
        {
            await cluster.Client.GetGrain<IStateTestGrain>("first-start").WriteAsync("embedded", 1);
        }

        Assert.Equal(DatabaseSchema.CurrentVersion, await DatabaseSchema.ReadVersionAsync(target));
        Assert.Equal(Path.Combine(folder.Path, "data", DatabaseTarget.SqliteFileName), target.DisplayName);
        Assert.Equal(1L, await CountAsync(target, "SELECT COUNT(*) FROM anomalyncd_grain_state_json"));
    }

    [Fact]
    public void Invariant_IsTheNameOrleansMapsToMicrosoftDataSqlite()
    {
        var target = DatabaseTarget.Sqlite(Path.Combine(folder.Path, "x.db"));

        Assert.Equal("System.Data.SQLite", target.Invariant);
        Assert.IsType<SqliteConnection>(target.CreateConnection());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }
}
