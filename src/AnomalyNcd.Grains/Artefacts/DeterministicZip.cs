using System.IO.Compression;

namespace AnomalyNcd.Grains.Artefacts;

/// <summary>
/// Zips files in ordinal name order with one fixed timestamp and no file attributes, so the same files always give
/// the same bytes, hence the same artefact hash: a job that stored its result and died before recording it produces
/// the identical artefact when it runs again, and the registry recognises it instead of adding a second version.
/// </summary>
public static class DeterministicZip
{
    /// <summary>The timestamp of every entry (the earliest a zip's DOS date can hold).</summary>
    public static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Every file under <paramref name="folder"/> (relative paths with '/').</summary>
    public static byte[] FromFolder(string folder) =>
        FromFiles(folder, Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')));

    /// <summary>The named files of <paramref name="folder"/>.</summary>
    public static byte[] FromFiles(string folder, IEnumerable<string> names)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in names.Order(StringComparer.Ordinal))
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
                entry.LastWriteTime = EntryTime;
                using var input = File.OpenRead(Path.Combine(folder, name));
                using var output = entry.Open();
                input.CopyTo(output);
            }
        }

        return buffer.ToArray();
    }
}
