using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Detection;
using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Silo.Hosting;

namespace AnomalyNcd.Silo.Ingest;

/// <summary>
/// The use case behind an upload marked <c>normal=true</c>: a defect-free image for the line's detector to learn
/// from. It is validated as any upload, stored as an image artefact and listed by the line's detector registry; it
/// is not processed for regions and not listed among the line's images. Nothing is stored for an image that fails
/// validation (a content-addressed image whose id the registry then refuses stays unreferenced).
/// </summary>
internal sealed class NormalImageIngest(IGrainFactory grains, IArtefactStore store, AnomalyNcdServerOptions options)
{
    public const string FormField = "normal";

    /// <summary>The form's <c>normal</c> value: absent or "false" is an ordinary upload, "true" a normal image; anything else is refused.</summary>
    public static (bool Normal, UploadRefusal? Refusal) ParseFlag(string? value) => value?.ToLowerInvariant() switch
    {
        null or "false" => (false, null),
        "true" => (true, null),
        _ => (false, UploadRefusal.BadRequest($"form field '{FormField}' is '{value}'; it must be 'true' or 'false'")),
    };

    /// <summary>
    /// Which of <paramref name="items"/> the line's settings mark as normal images by their ground truth
    /// (<see cref="Contracts.Lines.LineSettings.MarksNormal"/>); the settings are read only when an item could qualify.
    /// </summary>
    public async Task<bool[]> MarkedByGroundTruthAsync(string line, IReadOnlyList<UploadItem> items)
    {
        if (items.All(item => item.GroundTruth is null || item.Map is not null))
        {
            return new bool[items.Count];
        }

        var settings = await grains.GetGrain<Contracts.Lines.IProductLineGrain>(line).GetSettingsAsync();
        return [.. items.Select(item => settings.MarksNormal(item.GroundTruth, item.Map is not null))];
    }

    public async Task<(NormalImageKept? Kept, UploadRefusal? Refusal)> UploadAsync(string line, UploadItem item, CancellationToken cancellationToken)
    {
        if (item.Map is not null)
        {
            return (null, UploadRefusal.BadRequest($"{item.FileName}: a normal image is sent without a map (the line's detector learns from the image itself)"));
        }

        if (item.GroundTruth is not null)
        {
            return (null, UploadRefusal.BadRequest($"{item.FileName}: a normal image has no groundTruth class"));
        }

        if (ImageIngest.CheckId(item.ImageId, "image") is { } badId)
        {
            return (null, badId);
        }

        var (upload, refusal) = await UploadValidator.ValidateAsync(item.Image, null, options, cancellationToken);
        if (refusal is not null)
        {
            return (null, refusal);
        }

        var image = await store.PutAsync(upload!.Image.Bytes, "image", upload.Image.Extension, cancellationToken);
        try
        {
            var normal = new NormalImage(item.ImageId, image, upload.Width, upload.Height, DateTimeOffset.UtcNow);
            return (await grains.GetGrain<ILineDetectorGrain>(line).AddNormalImageAsync(normal), null);
        }
        catch (RequestRejectedException rejection)
        {
            return (null, UploadRefusal.From(rejection));
        }
    }
}
