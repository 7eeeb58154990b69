using Xunit.Abstractions;

namespace AnomalyNcd.Silo.Tests.Cluster;

/// <summary>The frame of a multi-process test: the serve processes it starts go into one list; when the test fails their
/// logs are printed (the cause is usually in a silo, not in the assertion), and every one is stopped either way.</summary>
internal static class ServeProcesses
{
    public static async Task RunAsync(ITestOutputHelper output, Func<List<ServeProcess>, Task> test)
    {
        var all = new List<ServeProcess>();
        try
        {
            await test(all);
        }
        catch
        {
            foreach (var silo in all)
            {
                output.WriteLine($"--- silo {silo.Name} log ---\n{silo.Log}");
            }

            throw;
        }
        finally
        {
            foreach (var silo in all)
            {
                silo.Dispose();
            }
        }
    }

    public static async Task<T> RunAsync<T>(ITestOutputHelper output, Func<List<ServeProcess>, Task<T>> test)
    {
        T result = default!;
        // A block body, so this calls the Task overload (an expression body would return T and call this method again).
        await RunAsync(output, async all => { result = await test(all); });
        return result;
    }
}
