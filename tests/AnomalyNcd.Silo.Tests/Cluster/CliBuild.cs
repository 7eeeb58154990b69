namespace AnomalyNcd.Silo.Tests.Cluster;

/// <summary>Where the built <c>anomalyncd.dll</c> is (the test project builds the CLI project first) and the repository root.</summary>
internal static class CliBuild
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>ANOMALYNCD_CLI when set, else the CLI's own build output in the configuration these tests were built in.</summary>
    public static string DllPath
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("ANOMALYNCD_CLI");
            if (!string.IsNullOrEmpty(configured))
            {
                return configured;
            }

            var bin = Path.Combine(RepositoryRoot, "src", "AnomalyNcd.Cli", "bin");
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            var candidates = Directory.Exists(bin)
                ? Directory.GetFiles(bin, "anomalyncd.dll", SearchOption.AllDirectories)
                    .Where(path => path.Contains($"{Path.DirectorySeparatorChar}{configuration}{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                    .OrderByDescending(File.GetLastWriteTimeUtc)
                    .ToArray()
                : [];
            return candidates.FirstOrDefault()
                ?? throw new InvalidOperationException($"anomalyncd.dll not found under {bin} ({configuration}); build src/AnomalyNcd.Cli or set ANOMALYNCD_CLI");
        }
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "deploy", "local-cluster.sh")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no repository root (with deploy/local-cluster.sh) above {AppContext.BaseDirectory}");
    }
}
