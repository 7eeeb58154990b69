namespace AnomalyNcd.Contracts;

/// <summary>
/// Grain keys are readable strings so that logs, the database and the API speak the same ids:
/// a line is its id, an image is "line/image", a region is "line/image/index".
/// Ids themselves may not contain '/', which keeps the composition reversible.
/// </summary>
public static class GrainKeys
{
    public const int MaxIdLength = 128;

    public static string Image(string lineId, string imageId) => $"{lineId}/{imageId}";

    public static string Region(string lineId, string imageId, int index) => $"{lineId}/{imageId}/{index}";

    public static (string LineId, string ImageId) ParseImage(string key)
    {
        var slash = key.IndexOf('/');
        if (slash <= 0 || slash == key.Length - 1 || key.IndexOf('/', slash + 1) >= 0)
        {
            throw new ArgumentException($"'{key}' is not an image key of the form line/image", nameof(key));
        }

        return (key[..slash], key[(slash + 1)..]);
    }

    public static (string LineId, string ImageId, int Index) ParseRegion(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 3 || !int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
        {
            throw new ArgumentException($"'{key}' is not a region key of the form line/image/index", nameof(key));
        }

        return (parts[0], parts[1], index);
    }

    /// <summary>A line, image or class id: 1–128 characters of letters, digits, '-', '_' and '.', not starting with '.'.</summary>
    public static bool IsValidId(string? id) =>
        !string.IsNullOrEmpty(id)
        && id.Length <= MaxIdLength
        && id[0] != '.'
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
