namespace AnomalyNcd.Testing;

/// <summary>
/// Locates the shared datasets: $ANOMALYNCD_DATA, else ../shared/data beside the repository root.
/// A test that needs them and cannot find them fails with a message saying where it looked.
/// </summary>
public static class TestData
{
    public static string Root
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("ANOMALYNCD_DATA");
            var root = !string.IsNullOrWhiteSpace(fromEnv)
                ? Path.GetFullPath(fromEnv)
                : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));
            if (!Directory.Exists(root))
            {
                throw new DirectoryNotFoundException(
                    $"Shared datasets not found at '{root}'. Set ANOMALYNCD_DATA to the folder holding mtd/, pv-multi-defect/ and golden/.");
            }

            return root;
        }
    }

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string RequireFile(params string[] parts)
    {
        var path = Combine(parts);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"Shared test data missing: '{path}' (ANOMALYNCD_DATA root '{Root}').", path);
        }

        return path;
    }

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AnomalyNcd.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("AnomalyNcd.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>A fresh temporary folder, deleted when disposed.</summary>
    public static TempFolder NewTempFolder() => new();
}

public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "anomalyncd-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
