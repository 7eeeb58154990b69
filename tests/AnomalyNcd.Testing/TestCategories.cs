namespace AnomalyNcd.Testing;

/// <summary>
/// Values of the xUnit trait <c>Category</c>: tests that need more than the process itself. Unmarked tests are unit
/// tests; <c>./test.sh --fast</c> runs only those (it filters these categories out).
/// </summary>
public static class TestCategories
{
    public const string Trait = "Category";

    /// <summary>Uses a real PostgreSQL server (a throwaway one, see <see cref="ThrowawayPostgres"/>).</summary>
    public const string Integration = "Integration";

    /// <summary>Starts several <c>anomalyncd</c> processes (a multi-process cluster, or scripts that do).</summary>
    public const string Cluster = "Cluster";

    /// <summary>Drives a real Chromium through the dashboard (end to end).</summary>
    public const string Browser = "Browser";
}
