namespace AnomalyNcd.Silo.Tests.Support;

/// <summary>
/// The tests' throwaway PostgreSQL (<see cref="ThrowawayPostgres"/>: initdb into a temp folder, a free loopback
/// port, removed on dispose), shared by a test collection; each test takes its own database.
/// Fails (never skips) when PostgreSQL is not installed.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string InstallHint = "install postgresql: scripts/ensure-system-packages.sh --tests";
    private ThrowawayPostgres? server;
    private int databaseCount;

    public int Port => Server.Port;

    /// <summary>Connection string of the server's maintenance database.</summary>
    public string AdminConnectionString => Server.AdminConnectionString;

    private ThrowawayPostgres Server => server ?? throw new InvalidOperationException("the PostgreSQL fixture has not started");

    public async Task InitializeAsync()
    {
        try
        {
            server = await ThrowawayPostgres.StartAsync("maintenance");
        }
        catch (InvalidOperationException failure) when (failure.Message.Contains("not found", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{failure.Message}; {InstallHint}", failure);
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync() =>
        Server.CreateDatabaseAsync($"test_{Interlocked.Increment(ref databaseCount)}_{Guid.NewGuid():N}"[..30]);

    /// <summary>Stops the server (<c>pg_ctl stop -m fast</c>): every connection breaks, new ones are refused. Tests that call it must <see cref="StartAgainAsync"/> it again.</summary>
    public Task StopAsync() => Server.StopAsync();

    /// <summary>Starts the stopped server again on the same port.</summary>
    public Task StartAgainAsync() => Server.StartAgainAsync();

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

/// <summary>Tests that need PostgreSQL share one throwaway server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
