using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Datasets;

/// <summary>
/// Pairs images with their partner files (masks, anomaly maps, annotations) by name, never by
/// position in a sorted listing (method-spec B3): the key of a file is its folder relative to its
/// set's root plus its stem, with a set-specific suffix such as MVTec's <c>_mask</c> removed.
/// Flat folders have an empty relative folder; trees pair when they mirror each other.
/// </summary>
public static class StemPairing
{
    /// <summary>
    /// Files of one role below <paramref name="Root"/>; <paramref name="StemSuffix"/> is stripped from partner
    /// stems (not from images); <paramref name="StemOnly"/> drops the relative folder from the key, to pair a
    /// tree with a flat folder.
    /// </summary>
    public sealed record FileSet(string Role, string Root, IReadOnlyList<string> Files, string StemSuffix = "", bool StemOnly = false);

    /// <summary>An image and its partners, in the order of the partner sets given to <see cref="Pair"/> (null where missing).</summary>
    public sealed record PairedImage(string Image, string Key, IReadOnlyList<string?> Partners);

    /// <summary>A file that found no partner: an image without <paramref name="MissingRole"/>, or a partner without an image.</summary>
    public sealed record UnpairedFile(string Path, string Role, string MissingRole);

    public sealed record Result(IReadOnlyList<PairedImage> Images, IReadOnlyList<UnpairedFile> Unpaired)
    {
        /// <summary>Images that lack a partner of <paramref name="role"/>.</summary>
        public IEnumerable<string> ImagesWithout(string role) =>
            Unpaired.Where(u => u.MissingRole == role).Select(u => u.Path);

        /// <summary>Partner files of <paramref name="role"/> whose image does not exist.</summary>
        public IEnumerable<string> Orphans(string role) =>
            Unpaired.Where(u => u.Role == role).Select(u => u.Path);
    }

    /// <summary>
    /// Lists the files below <paramref name="root"/> with one of <paramref name="extensions"/> (all image
    /// types when none), skipping hidden files and folders, in ordinal order of their relative paths.
    /// </summary>
    public static FileSet Scan(string role, string root, bool recursive, string stemSuffix = "", params string[] extensions)
    {
        if (extensions.Length == 0)
        {
            extensions = Imaging.ImageFiles.ImageExtensions;
        }

        var files = new List<string>();
        Collect(root, recursive, extensions, files);
        files.Sort((a, b) => string.CompareOrdinal(RelativeSlashPath(root, a), RelativeSlashPath(root, b)));
        return new FileSet(role, root, files, stemSuffix);
    }

    /// <summary>The pairing key: relative folder with '/' separators, then '/', then the stem without the suffix; null when the stem lacks the suffix.</summary>
    public static string? KeyOf(string root, string file, string stemSuffix = "", bool stemOnly = false)
    {
        var stem = Path.GetFileNameWithoutExtension(file);
        if (stemSuffix.Length > 0)
        {
            if (!stem.EndsWith(stemSuffix, StringComparison.Ordinal) || stem.Length == stemSuffix.Length)
            {
                return null;
            }

            stem = stem[..^stemSuffix.Length];
        }

        if (stemOnly)
        {
            return stem;
        }

        var folder = Path.GetDirectoryName(RelativeSlashPath(root, file))?.Replace('\\', '/') ?? string.Empty;
        return folder.Length == 0 ? stem : folder + "/" + stem;
    }

    /// <summary>
    /// Pairs every image with at most one file of each partner set. Two files of one set with the
    /// same key cannot be told apart by name and are refused.
    /// </summary>
    public static Result Pair(FileSet images, params FileSet[] partners)
    {
        var imageKeys = IndexByKey(images with { StemSuffix = string.Empty });
        var partnerIndexes = partners.Select(IndexByKey).ToList();
        var paired = new List<PairedImage>(images.Files.Count);
        var unpaired = new List<UnpairedFile>();

        foreach (var image in images.Files)
        {
            var key = KeyOf(images.Root, image, stemOnly: images.StemOnly)!;
            var found = new string?[partners.Length];
            for (var p = 0; p < partners.Length; p++)
            {
                if (partnerIndexes[p].TryGetValue(key, out var partner))
                {
                    found[p] = partner;
                }
                else
                {
                    unpaired.Add(new UnpairedFile(image, images.Role, partners[p].Role));
                }
            }

            paired.Add(new PairedImage(image, key, found));
        }

        for (var p = 0; p < partners.Length; p++)
        {
            foreach (var file in partners[p].Files)
            {
                var key = KeyOf(partners[p].Root, file, partners[p].StemSuffix, partners[p].StemOnly);
                if (key is null || !imageKeys.ContainsKey(key))
                {
                    unpaired.Add(new UnpairedFile(file, partners[p].Role, images.Role));
                }
            }
        }

        return new Result(paired, unpaired);
    }

    private static Dictionary<string, string> IndexByKey(FileSet set)
    {
        var index = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in set.Files)
        {
            var key = KeyOf(set.Root, file, set.StemSuffix, set.StemOnly);
            if (key is null)
            {
                continue; // reported as unpaired by the caller of Pair
            }

            if (!index.TryAdd(key, file))
            {
                throw new InvalidInputException(file, $"{set.Role} has the same name stem as '{index[key]}'; files cannot be paired by name");
            }
        }

        return index;
    }

    private static void Collect(string folder, bool recursive, string[] extensions, List<string> files)
    {
        files.AddRange(OrdinalPaths.Files(folder, extensions));
        if (!recursive)
        {
            return;
        }

        foreach (var sub in OrdinalPaths.Folders(folder))
        {
            Collect(sub, recursive, extensions, files);
        }
    }

    private static string RelativeSlashPath(string root, string file) =>
        Path.GetRelativePath(Path.GetFullPath(root), Path.GetFullPath(file)).Replace('\\', '/');
}
