using System.Security.Cryptography;

namespace AnomalyNcd.Silo.Tests.Hostile;

/// <summary>
/// Every file under a folder with its SHA-256, to prove a rejected input stored nothing and changed nothing.
/// The embedded database is left out: the silo writes it on its own schedule (membership, reminders).
/// </summary>
internal static class DataFolderSnapshot
{
    public static Dictionary<string, string> Take(string folder)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
        {
            return files;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, file);
            if (Path.GetFileName(relative).StartsWith("anomalyncd.db", StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                files[relative] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
            }
            catch (FileNotFoundException)
            {
                // A scratch file deleted while the snapshot ran is by definition not stored.
            }
        }

        return files;
    }

    /// <summary>Asserts that every file of <paramref name="before"/> still exists with the same content.</summary>
    public static void AssertKept(Dictionary<string, string> before, Dictionary<string, string> after)
    {
        foreach (var (file, hash) in before)
        {
            Assert.True(after.TryGetValue(file, out var now), $"{file} disappeared");
            Assert.True(hash == now, $"{file} changed");
        }
    }
}
