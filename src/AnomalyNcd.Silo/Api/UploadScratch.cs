namespace AnomalyNcd.Silo.Api;

/// <summary>
/// A private folder where one upload's files wait while they are validated; deleted afterwards whatever
/// the outcome, so a rejected upload leaves nothing behind (and nothing ever reaches the artefact store unchecked).
/// </summary>
internal sealed class UploadScratch : IDisposable
{
    private UploadScratch(string folder) => Folder = folder;

    public string Folder { get; }

    public static UploadScratch Create(string uploadsFolder)
    {
        var folder = Path.Combine(uploadsFolder, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return new UploadScratch(folder);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover scratch folder is harmless; it never shadows an artefact.
        }
    }
}
