using AnomalyNcd.Silo.Persistence;
using Npgsql;

namespace AnomalyNcd.Silo.Tests.Persistence;

public sealed class StorageConnectionStringTests
{
    [Fact]
    public void StorageConnectionString_OnPostgresTurnsOnAutoPrepareAndSkipsTheResetKeepingTheRest()
    {
        var target = DatabaseTarget.Postgres("Host=db.example;Port=5433;Database=lines;Username=u;Password=secret");

        var storage = new NpgsqlConnectionStringBuilder(PersistenceSiloBuilderExtensions.StorageConnectionString(target));

        Assert.Equal(PersistenceSiloBuilderExtensions.StorageAutoPrepared, storage.MaxAutoPrepare);
        Assert.True(storage.NoResetOnClose);
        Assert.Equal(("db.example", 5433, "lines", "u", "secret"), (storage.Host, storage.Port, storage.Database, storage.Username, storage.Password));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    public void StorageConnectionString_KeepsAnExplicitMaxAutoPrepare(int given)
    {
        var target = DatabaseTarget.Postgres($"Host=db.example;Database=lines;Max Auto Prepare={given}");

        var storage = new NpgsqlConnectionStringBuilder(PersistenceSiloBuilderExtensions.StorageConnectionString(target));

        Assert.Equal(given, storage.MaxAutoPrepare);
    }

    [Fact]
    public void StorageConnectionString_KeepsAnExplicitNoResetOnClose()
    {
        var target = DatabaseTarget.Postgres("Host=db.example;Database=lines;No Reset On Close=false");

        var storage = new NpgsqlConnectionStringBuilder(PersistenceSiloBuilderExtensions.StorageConnectionString(target));

        Assert.False(storage.NoResetOnClose);
        Assert.Equal(PersistenceSiloBuilderExtensions.StorageAutoPrepared, storage.MaxAutoPrepare);
    }

    [Fact]
    public void StorageConnectionString_OnSqliteIsUnchanged()
    {
        var target = DatabaseTarget.Sqlite("/tmp/anomalyncd-test.db");

        Assert.Equal(target.ConnectionString, PersistenceSiloBuilderExtensions.StorageConnectionString(target));
    }
}
