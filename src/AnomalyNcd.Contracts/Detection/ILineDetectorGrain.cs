namespace AnomalyNcd.Contracts.Detection;

/// <summary>
/// A line's detector registry (key: line id): its normal images, its fitted detector versions and which one is
/// promoted. Only references and metadata; the images and detectors are in the artefact store.
/// </summary>
[Alias("anomalyncd.ILineDetectorGrain")]
public interface ILineDetectorGrain : IGrainWithStringKey
{
    /// <summary>Keeps a normal image (the same bytes again under its id is not a duplicate; other bytes are a Conflict).</summary>
    [Alias("AddNormalImage")] Task<NormalImageKept> AddNormalImageAsync(NormalImage image);

    /// <summary>The images to fit on; NotReady (what to upload first) when there are too few.</summary>
    [Alias("GetImagesToFit")] Task<NormalImage[]> GetImagesToFitAsync();

    /// <summary>Registers a fitted detector under the next version number and returns it with that version.</summary>
    [Alias("Register")] Task<DetectorVersion> RegisterAsync(DetectorVersion fitted);

    [Alias("List")] Task<LineDetectors> ListAsync();

    /// <summary>The explicit gate: only the promoted detector scores uploads without a map. Audited in the line's decision log.</summary>
    [Alias("Promote")] Task<DetectorVersion> PromoteAsync(string version, string user);

    [Alias("GetPromoted")] Task<DetectorVersion?> GetPromotedAsync();
}
