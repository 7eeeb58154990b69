using System.Text;
using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Datasets;

/// <summary>
/// A CSV manifest with the columns <c>image,anomaly_map,mask,label,line,split</c>, UTF-8 (a BOM is
/// accepted), RFC 4180 quoting. Column order is free on reading; extra columns are ignored.
/// </summary>
public sealed class Manifest
{
    public static readonly string[] Columns = ["image", "anomaly_map", "mask", "label", "line", "split"];

    public Manifest(string folder, IReadOnlyList<ManifestRow> rows)
    {
        Folder = folder;
        Rows = rows;
    }

    /// <summary>The folder that relative paths are resolved against.</summary>
    public string Folder { get; }

    public IReadOnlyList<ManifestRow> Rows { get; }

    /// <summary>Absolute path of a (possibly relative) manifest path.</summary>
    public string Resolve(string relativeOrAbsolute) => Path.GetFullPath(Path.Combine(Folder, relativeOrAbsolute));

    public static Manifest Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidInputException(path, "manifest file does not exist");
        }

        var records = CsvTable.Read(path);
        if (records.Count == 0)
        {
            throw new InvalidInputException(path, "manifest is empty (no header line)");
        }

        var header = records[0].Select(h => h.Trim()).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            index.TryAdd(header[i], i);
        }

        var missing = Columns.Where(c => !index.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidInputException(path, $"manifest header lacks column(s) {string.Join(", ", missing)} (expected {string.Join(",", Columns)})");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var rows = new List<ManifestRow>(records.Count - 1);

        // Identity is the resolved file, so that "a.png" and "./a.png" are caught as the same image.
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var r = 1; r < records.Count; r++)
        {
            var fields = records[r];
            if (fields.Length == 1 && fields[0].Length == 0)
            {
                continue; // blank line
            }

            string? Cell(string column)
            {
                var i = index[column];
                var value = i < fields.Length ? fields[i].Trim() : string.Empty;
                return value.Length == 0 ? null : value;
            }

            var image = Cell("image") ?? throw new InvalidInputException(path, $"line {r + 1}: the image column is empty");
            var resolved = Path.GetFullPath(Path.Combine(folder, image));
            if (seen.TryGetValue(resolved, out var first))
            {
                throw new InvalidInputException(path, $"line {r + 1}: duplicate image '{image}' (first on line {first})");
            }

            seen[resolved] = r + 1;
            rows.Add(new ManifestRow(image, Cell("anomaly_map"), Cell("mask"), Cell("label"), Cell("line"), Cell("split")));
        }

        return new Manifest(folder, rows);
    }

    /// <summary>Writes the manifest atomically with paths as given (callers make them relative to the file's folder).</summary>
    public static void Save(string path, IEnumerable<ManifestRow> rows)
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', Columns)).Append('\n');
        foreach (var row in rows)
        {
            text.Append(CsvTable.Join([row.Image, row.AnomalyMap, row.Mask, row.Label, row.Line, row.Split])).Append('\n');
        }

        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>Path of <paramref name="file"/> relative to <paramref name="manifestPath"/>'s folder, with '/' separators.</summary>
    public static string RelativePath(string manifestPath, string file)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        return Path.GetRelativePath(folder, Path.GetFullPath(file)).Replace('\\', '/');
    }
}
