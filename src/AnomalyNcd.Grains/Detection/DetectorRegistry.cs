using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Detection;

namespace AnomalyNcd.Grains.Detection;

/// <summary>
/// The rules of a line's detectors over its state, without Orleans: normal images by id, the minimum to fit on,
/// numbered versions, and the explicit promotion of one of them.
/// </summary>
public sealed class DetectorRegistry(LineDetectorState state, string lineId)
{
    /// <summary>
    /// The normal calibration leaves one image out at a time, so it needs two; with fewer the detector could not say
    /// what a normal score is.
    /// </summary>
    public const int MinNormalImages = 2;

    public int NormalImageCount => state.NormalImages.Count;

    public DetectorVersion? Promoted =>
        state.Promoted is { } version ? state.Versions.Find(v => v.Version == version) : null;

    /// <summary>Keeps the image; true when it is new, false when these bytes were already kept under its id.</summary>
    public bool AddNormal(NormalImage image)
    {
        if (!GrainKeys.IsValidId(image.ImageId))
        {
            throw RequestRejectedException.Invalid($"'{image.ImageId}' is not a valid image id");
        }

        var existing = state.NormalImages.Find(n => n.ImageId == image.ImageId);
        if (existing is null)
        {
            state.NormalImages.Add(image);
            return true;
        }

        return existing.Image.Sha256 == image.Image.Sha256
            ? false
            : throw RequestRejectedException.Conflict($"normal image '{image.ImageId}' of line '{lineId}' already exists with other content (sha256 {existing.Image.Sha256})");
    }

    /// <summary>The normal images to fit on, oldest first; NotReady, saying what to do, when there are too few.</summary>
    public NormalImage[] ImagesToFit()
    {
        if (state.NormalImages.Count < MinNormalImages)
        {
            throw RequestRejectedException.NotReady(
                $"line '{lineId}' has {state.NormalImages.Count} normal image(s); a detector needs at least {MinNormalImages}: "
                + $"upload defect-free images with the form field normal=true (POST /api/lines/{lineId}/images, or 'anomalyncd ingest --normal --dir DIR'), then POST /api/lines/{lineId}/detector");
        }

        return [.. state.NormalImages];
    }

    /// <summary>Adds a fitted detector as the next version (never promoted by this); the same detector bytes again return their version.</summary>
    public DetectorVersion Register(DetectorVersion fitted)
    {
        if (fitted.LineId != lineId)
        {
            throw RequestRejectedException.Invalid($"detector was fitted for line '{fitted.LineId}', not '{lineId}'");
        }

        // A job that stored its detector but died before recording that it had registered it registers the same bytes again.
        if (state.Versions.Find(v => v.Detector.Sha256 == fitted.Detector.Sha256) is { } same)
        {
            return same;
        }

        var registered = fitted with { Version = $"v{state.Versions.Count + 1}", PromotedAt = null, PromotedBy = null };
        state.Versions.Add(registered);
        return registered;
    }

    /// <summary>Promotes <paramref name="version"/>; returns it and the version promoted before (empty when none), for the audit log.</summary>
    public (DetectorVersion Promoted, string Before) Promote(string version, string user, DateTimeOffset now)
    {
        var promoted = state.Promoted;
        var result = Lines.VersionPromotion.Promote(
            state.Versions, version, v => v.Version == version, v => v with { PromotedAt = now, PromotedBy = user }, ref promoted, $"line '{lineId}' has no detector version '{version}'");
        state.Promoted = promoted;
        return result;
    }

    public LineDetectors List() => new(lineId, [.. state.Versions], state.Promoted, state.NormalImages.Count);
}
