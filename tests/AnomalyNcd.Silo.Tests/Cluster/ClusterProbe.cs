using System.Net.Http.Json;
using System.Text.Json;

namespace AnomalyNcd.Silo.Tests.Cluster;

/// <summary>What the multi-process cluster tests ask a running cluster, shared so each test states only its own checks.</summary>
internal static class ClusterProbe
{
    /// <summary>The 1, 5 and 15 minute load averages, printed beside every measured figure (the machine is shared with builds).</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>Every image id of the line, page by page, in the order the line lists them (duplicates kept, so tests can find them).</summary>
    public static async Task<List<string>> ListImageIdsAsync(ServeProcess silo, string line, CancellationToken cancellationToken)
    {
        const int Page = 500;
        var listed = new List<string>();
        for (var skip = 0; ; skip += Page)
        {
            var page = await silo.Http.GetFromJsonAsync<JsonElement[]>($"/api/lines/{line}/images?skip={skip}&take={Page}", cancellationToken);
            listed.AddRange(page!.Select(image => image.GetProperty("imageId").GetString()!));
            if (page!.Length < Page)
            {
                return listed;
            }
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken) =>
        Eventually.True(condition, timeout, "condition", cancellationToken: cancellationToken);
}
