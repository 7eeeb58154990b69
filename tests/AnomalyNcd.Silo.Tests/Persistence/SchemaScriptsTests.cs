using AnomalyNcd.Silo.Persistence;

namespace AnomalyNcd.Silo.Tests.Persistence;

public sealed class SchemaScriptsTests
{
    [Fact]
    public void Migrations_HaveTheSameVersionsInBothDialects()
    {
        var sqlite = SchemaScripts.Migrations(DatabaseKind.Sqlite).Select(m => m.Version);
        var postgres = SchemaScripts.Migrations(DatabaseKind.Postgres).Select(m => m.Version);

        Assert.Equal(postgres, sqlite);
        Assert.Equal(DatabaseSchema.CurrentVersion, postgres.Count());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public void Queries_DefineExactlyTheProviderKeys(DatabaseKind kind)
    {
        var queries = SchemaScripts.Queries(kind);

        Assert.Equal(SchemaScripts.RequiredQueryKeys.Order(StringComparer.Ordinal), queries.Keys.Order(StringComparer.Ordinal));
        Assert.All(queries.Values, text => Assert.False(string.IsNullOrWhiteSpace(text)));
    }
}
