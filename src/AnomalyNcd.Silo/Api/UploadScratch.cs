namespace AnomalyNcd.Silo.Api;

/// <summary>
/// One upload's files while they are validated, directly in the uploads folder under a private random prefix
/// (no folder per upload: creating and removing one cost more CPU than the validation itself); deleted afterwards
/// whatever the outcome, so a rejected upload leaves nothing behind (and nothing ever reaches the artefact store unchecked).
/// </summary>
internal sealed class UploadScratch : IDisposable
{
    private readonly string prefix;

    private readonly List<string> paths = [];

    private UploadScratch(string prefix) => this.prefix = prefix;

    public static UploadScratch Create(string uploadsFolder) =>
        new(Path.Combine(uploadsFolder, Guid.NewGuid().ToString("N") + "-"));

    /// <summary>A path for one file of this upload (e.g. "image.png"), deleted with the scratch.</summary>
    public string PathFor(string name)
    {
        var path = prefix + name;
        paths.Add(path);
        return path;
    }

    public void Dispose()
    {
        foreach (var path in paths)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A leftover scratch file is harmless; it never shadows an artefact.
            }
        }
    }
}
