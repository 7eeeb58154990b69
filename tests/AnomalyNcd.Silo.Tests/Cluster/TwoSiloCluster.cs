using Xunit.Abstractions;

namespace AnomalyNcd.Silo.Tests.Cluster;

/// <summary>Two <c>serve</c> processes on one PostgreSQL database and one data folder; every process started (restarts too) is disposed with it.</summary>
internal sealed class TwoSiloCluster : IDisposable
{
    private readonly List<ServeProcess> all = [];

    private TwoSiloCluster(string data, string connection)
    {
        Data = data;
        Connection = connection;
    }

    public string Data { get; }

    public string Connection { get; }

    public ServeProcess A { get; private set; } = null!;

    public ServeProcess B { get; private set; } = null!;

    public static async Task<TwoSiloCluster> StartAsync(string data, string connection, string accelerator, IReadOnlyDictionary<string, string> environment)
    {
        var cluster = new TwoSiloCluster(data, connection);
        try
        {
            cluster.A = cluster.Track(ServeProcess.Start("a", data, connection, accelerator, environment));
            cluster.B = cluster.Track(ServeProcess.Start("b", data, connection, accelerator, environment));
            await cluster.A.WaitHealthyAsync(2, TimeSpan.FromSeconds(90));
            await cluster.B.WaitHealthyAsync(2, TimeSpan.FromSeconds(90));
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>kill -9 of A, then A again on the same ports (so clients that knew its URL reach the new one).</summary>
    public ServeProcess KillAndRestartA()
    {
        A.KillHard();
        A = Track(A.StartAgain("a2"));
        return A;
    }

    public void WriteLogs(ITestOutputHelper output)
    {
        foreach (var silo in all)
        {
            output.WriteLine($"--- silo {silo.Name} log ---\n{silo.Log}");
        }
    }

    public void Dispose()
    {
        foreach (var silo in all)
        {
            silo.Dispose();
        }
    }

    private ServeProcess Track(ServeProcess silo)
    {
        all.Add(silo);
        return silo;
    }
}
