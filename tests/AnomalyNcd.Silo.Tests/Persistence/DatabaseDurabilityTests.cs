using AnomalyNcd.Silo.Persistence;
using AnomalyNcd.Silo.Tests.Support;

namespace AnomalyNcd.Silo.Tests.Persistence;

public sealed class DatabaseDurabilityTests
{
    [Theory]
    [InlineData("on", "on", "on", true)]
    [InlineData("on", "local", "on", true)]
    [InlineData("on", "remote_apply", "on", true)]
    [InlineData("off", "on", "on", false)]
    [InlineData("on", "off", "on", false)]
    [InlineData("on", "on", "off", false)]
    public void FromPostgres_DurableOnlyWhenEveryCommitIsFlushedAndTornPagesRepairable(string fsync, string synchronousCommit, string fullPageWrites, bool durable)
    {
        var durability = DatabaseDurability.FromPostgres(fsync, synchronousCommit, fullPageWrites);

        Assert.Equal(durable, durability.Durable);
        Assert.StartsWith(durable ? "durable: fsync on (" : "NOT durable: ", durability.Describe());
        Assert.Contains($"synchronous_commit={synchronousCommit}", durability.Describe());
    }

    [Theory]
    [InlineData(0, "OFF", false)]
    [InlineData(1, "NORMAL", false)]
    [InlineData(2, "FULL", true)]
    [InlineData(3, "EXTRA", true)]
    public void FromSqlite_DurableFromSynchronousFull(long synchronous, string level, bool durable)
    {
        var durability = DatabaseDurability.FromSqlite("wal", synchronous);

        Assert.Equal(durable, durability.Durable);
        Assert.Equal($"SQLite journal_mode=wal, synchronous={level}", durability.Settings);
    }

    [Fact]
    public async Task ReadAsync_TheEmbeddedSqliteDatabaseSyncsEveryCommitInWalMode()
    {
        using var folder = new TempFolder();
        var target = DatabaseTarget.SqliteInDataFolder(folder.Path);
        await DatabaseSchema.InitialiseAsync(target);

        var durability = await DatabaseDurability.ReadAsync(target);

        Assert.True(durability.Durable, durability.Describe());
        Assert.Equal("durable: fsync on (SQLite journal_mode=wal, synchronous=FULL)", durability.Describe());
    }
}

[Trait(TestCategories.Trait, TestCategories.Integration)]
[Collection(PostgresCollection.Name)]
public sealed class PostgresDurabilityTests(PostgresServer server)
{
    [Fact]
    public async Task ReadAsync_NamesTheTestServersUnsafeSettingsFromTheServerItself()
    {
        // The tests' throwaway server runs with fsync, synchronous_commit and full_page_writes off, for speed.
        var durability = await DatabaseDurability.ReadAsync(DatabaseTarget.Postgres(await server.CreateDatabaseAsync()));

        Assert.False(durability.Durable);
        Assert.Equal("NOT durable: PostgreSQL fsync=off, synchronous_commit=off, full_page_writes=off (a crash of the machine can lose acknowledged images)", durability.Describe());
    }
}
