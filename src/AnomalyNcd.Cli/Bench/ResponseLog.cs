using System.Globalization;

namespace AnomalyNcd.Cli.Bench;

/// <summary>
/// <c>bench ingest --responses FILE</c>: one line per finished upload, <c>unix-ms status id</c> (status 0 = no answer),
/// flushed line by line so a test that kills silos mid-run can read which images were acknowledged and when.
/// </summary>
internal sealed class ResponseLog : IAsyncDisposable
{
    private readonly StreamWriter writer;
    private readonly Lock gate = new();

    public ResponseLog(string path)
    {
        writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    public void Record(int status, string id)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()} {status} {id}");
        lock (gate)
        {
            writer.WriteLine(line);
        }
    }

    public ValueTask DisposeAsync() => writer.DisposeAsync();
}
