using AnomalyNcd.Silo.Persistence;
using AnomalyNcd.Silo.Tests.Support;

namespace AnomalyNcd.Silo.Tests.Persistence;

[Collection(PostgresCollection.Name)]
public sealed class PostgresPersistenceTests(PostgresServer server) : PersistenceTests
{
    protected override async Task<DatabaseTarget> NewDatabaseAsync() =>
        DatabaseTarget.Postgres(await server.CreateDatabaseAsync());

    protected override string StateTextFromJsonSql => "SELECT payload_json ->> 'Text' FROM anomalyncd_grain_state_json";

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
    public void DisplayName_LeavesThePasswordOut()
    {
        var target = DatabaseTarget.Postgres("Host=db.example;Port=5433;Database=lines;Username=u;Password=secret");

        Assert.Equal("postgres://db.example:5433/lines", target.DisplayName);
        Assert.DoesNotContain("secret", target.ToString());
    }
}
