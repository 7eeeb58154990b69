using System.Globalization;
using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Maps;

/// <summary>
/// Turns a raw detector map into the 8-bit map MEBin sweeps, referenced to what the detector scores on normal images
/// (<see cref="NormalCalibration"/>) instead of to the batch: 0 at the normal level (the floor), so MEBin's 64
/// thresholds all lie above it, and an image whose score does not exceed the floor gets an empty map, hence no region.
/// Nothing depends on the other images of a batch, so a streamed image is binarised as it would be in a batch.
/// </summary>
public sealed class NormalReferencedScale
{
    private readonly NormalCalibration calibration;

    public NormalReferencedScale(NormalCalibration calibration, NormalReferencedScaleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        Options = options ?? NormalReferencedScaleOptions.Default;
        Options.Validate();
        this.calibration = calibration;
        if (Options.PositionAdjusted && Options.PositionStandardized && !calibration.HasSpread)
        {
            throw new InvalidInputException(NormalCalibration.FileName, "the detector's calibration has no position spread (it was fitted by an older version); fit it again with 'detect fit', or pass --position-spread false");
        }

        Floor = !Options.PositionAdjusted ? calibration.ImageScoreQuantile(Options.FloorQuantile)
            : Options.PositionStandardized ? calibration.StandardizedImageScoreQuantile(Options.FloorQuantile)
            : calibration.AdjustedImageScoreQuantile(Options.FloorQuantile);
        Ceiling = Options.Top == ScaleTop.Fixed ? Floor * (float)Options.FixedTopFactor : float.NaN;
        Gate = Options.ImageGateQuantile is not { } gate || !NormalReferencedScaleOptions.EnoughNormalsFor(gate, calibration.Images) ? float.NaN
            : !Options.PositionAdjusted ? calibration.ImageScoreQuantile(gate)
            : Options.PositionStandardized ? calibration.StandardizedImageScoreQuantile(gate)
            : calibration.AdjustedImageScoreQuantile(gate);
        AreaGate = float.IsNaN(Gate) || !Options.AreaGateApplies || !calibration.HasTopShare ? float.NaN
            : calibration.StandardizedTopShareQuantile(Options.ImageGateQuantile!.Value);
    }

    public NormalReferencedScaleOptions Options { get; }

    /// <summary>The raw score that maps to 0: the <see cref="NormalReferencedScaleOptions.FloorQuantile"/> of held-out normal image scores.</summary>
    public float Floor { get; }

    /// <summary>With <see cref="ScaleTop.Fixed"/>, the raw score that maps to 255; NaN when each map's own peak does.</summary>
    public float Ceiling { get; }

    /// <summary>
    /// With <see cref="NormalReferencedScaleOptions.ImageGateQuantile"/>: the image score (the peak of the adjusted map)
    /// an image must exceed to get any region; NaN when off.
    /// </summary>
    public float Gate { get; }

    /// <summary>
    /// With <see cref="NormalReferencedScaleOptions.GateOnArea"/>: the <see cref="TopShareScore"/> of the standardised
    /// map an image must also exceed (the same quantile of the held-out normal images' top-share scores); NaN when off,
    /// without an image gate, or with a calibration written before top-share scores existed.
    /// </summary>
    public float AreaGate { get; }

    /// <summary>
    /// The <see cref="Gate"/> on the 8-bit scale of <see cref="Apply"/> when the region gate applies
    /// (<see cref="NormalReferencedScaleOptions.RegionGateApplies"/>: a fixed ceiling makes that level the same for every
    /// map) and the calibration can place the gate (<see cref="NormalReferencedScaleOptions.EnoughNormalsFor"/>); null otherwise.
    /// </summary>
    public byte? RegionGateLevel => Options.RegionGateApplies && !float.IsNaN(Gate) ? MapNormalization.ToByte(Gate, Floor, Ceiling) : null;

    /// <summary>MEBin's search range over maps made by <see cref="Apply"/>: the whole 8-bit scale, set-independent.</summary>
    public static MebinRange MebinRange => new(0, 255);

    /// <summary>The 8-bit map: (x − floor) / (top − floor) · 255, clamped, where top is the map's peak or the fixed ceiling.</summary>
    public GrayImage Apply(FloatMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (Options.PositionAdjusted)
        {
            map = Adjust(map);
        }

        // The peak is only needed for a per-image top or the gate (NaN compares false: no gate).
        var peak = Options.Top == ScaleTop.Fixed && float.IsNaN(Gate) ? float.NaN : map.Range().Max;
        var top = Options.Top == ScaleTop.Fixed ? Ceiling : peak;
        if (top <= Floor || peak <= Gate || (!float.IsNaN(AreaGate) && TopShareScore.Of(map.Values) <= AreaGate))
        {
            // Inside the normal range: no pixel may survive any threshold.
            return new GrayImage(map.Width, map.Height);
        }

        return MapNormalization.ToByte(map, Floor, top);
    }

    /// <summary>
    /// The map minus what a normal image scores at each position (the calibration's position reference); with
    /// <see cref="NormalReferencedScaleOptions.PositionStandardized"/> also divided by how much normal images vary there.
    /// </summary>
    public FloatMap Adjust(FloatMap map)
    {
        var reference = calibration.RenderReference(map.Width, map.Height);
        var spread = Options.PositionStandardized ? calibration.RenderSpread(map.Width, map.Height) : null;
        var values = map.Values;
        var adjusted = new float[values.Length];
        for (var i = 0; i < adjusted.Length; i++)
        {
            adjusted[i] = spread is null ? values[i] - reference[i] : (values[i] - reference[i]) / spread[i];
        }

        return new FloatMap(map.Width, map.Height, adjusted);
    }

    private string AreaGateText => !float.IsNaN(AreaGate)
        ? string.Create(CultureInfo.InvariantCulture, $" and its top {TopShareScore.Share:P0} above {AreaGate:0.###}")
        : Options.AreaGateApplies && !calibration.HasTopShare ? " (no area gate: the calibration predates it; fit the detector again)" : string.Empty;

    public override string ToString()
    {
        var top = Options.Top == ScaleTop.Fixed
            ? string.Create(CultureInfo.InvariantCulture, $"ceiling {Ceiling:0.###}")
            : "each map's peak at 255";
        var gate = Options.ImageGateQuantile is not { } q ? ""
            : float.IsNaN(Gate) ? string.Create(CultureInfo.InvariantCulture, $", no image gate (fewer than {NormalReferencedScaleOptions.MinNormalsAboveGate} of the calibration's {calibration.Images} held-out normal images score above q{q:0.###})")
            : string.Create(CultureInfo.InvariantCulture, $", image gate {Gate:0.###} (q{q:0.###}{(Options.RegionGateApplies ? ", every region" : "")}){AreaGateText}");
        return string.Create(CultureInfo.InvariantCulture, $"normal-referenced: floor {Floor:0.###} (q{Options.FloorQuantile:0.###} of held-out normal image scores), {top}{gate}");
    }
}

/// <summary>What maps to 255 in a <see cref="NormalReferencedScale"/>.</summary>
public enum ScaleTop
{
    /// <summary>Each map's own peak: MEBin sweeps the whole span between the normal level and the peak.</summary>
    PerImagePeak,

    /// <summary>A fixed raw score, <see cref="NormalReferencedScaleOptions.FixedTopFactor"/> × the floor.</summary>
    Fixed,
}

/// <summary>Settings of <see cref="NormalReferencedScale"/>.</summary>
public sealed record NormalReferencedScaleOptions
{
    public static NormalReferencedScaleOptions Default { get; } = new();

    /// <summary>Quantile of the held-out normal image scores that becomes the floor (0 on the 8-bit scale).</summary>
    /// <remarks>
    /// 0.5 measured best on MTD (docs/RESULTS.md, stage table): higher floors flag fewer normal images but drop more
    /// defective ones whose scores lie inside the normal range, which costs the classes more.
    /// </remarks>
    public double FloorQuantile { get; init; } = 0.5;

    /// <summary>Fixed by default: a map's crop scores then say how far above normal it is, not how far below its own peak.</summary>
    public ScaleTop Top { get; init; } = ScaleTop.Fixed;

    /// <summary>
    /// Subtract the calibration's position reference first (and take the floor from the adjusted held-out scores), so
    /// that positions where every normal image scores high (borders, fixtures) do not outshine a defect.
    /// </summary>
    public bool PositionAdjusted { get; init; } = true;

    /// <summary>
    /// With <see cref="PositionAdjusted"/>: also divide by the calibration's position spread, so a score says how many
    /// normal standard deviations a pixel lies above what normal images score at that position (positions where normal
    /// texture varies a lot, e.g. a tile's chamfered edge, then need a larger excess to count).
    /// </summary>
    public bool PositionStandardized { get; init; } = true;

    /// <summary>With <see cref="ScaleTop.Fixed"/>: the ceiling as a multiple of the floor.</summary>
    public double FixedTopFactor { get; init; } = 2.0;

    /// <summary>The image gate of the raw-image path unless told otherwise (see <see cref="ImageGateQuantile"/>).</summary>
    /// <remarks>
    /// With the region gate, measured in stop 38 (docs/RESULTS.md): once token contrast made the crops show their
    /// defects, fewer and surer regions gave better classes on MTD and on a synthetic line (3 seeds each), and MTD's
    /// share of normal images with a region fell from 17.8 % to 8.4 %.
    /// </remarks>
    public const double DefaultImageGate = 0.9;

    /// <summary>
    /// Quantile of the held-out normal image scores an image's own score must exceed before any of its regions count
    /// (null: off, the floor alone decides). Unlike a higher floor it decides per image and leaves the regions of the
    /// images it passes cut as before, so the share of normal images flagged is about 1 − this quantile by design.
    /// </summary>
    public double? ImageGateQuantile { get; init; } = DefaultImageGate;

    /// <summary>
    /// Every region, not only an image's strongest, must peak above the image gate (persistent-peaks regions; see
    /// <see cref="NormalReferencedScale.RegionGateLevel"/>). It applies only where it can (<see cref="RegionGateApplies"/>).
    /// </summary>
    public bool GateRegions { get; init; } = true;

    /// <summary>
    /// With the image gate on position-standardised maps: an image must also exceed, with the mean of its highest
    /// <see cref="TopShareScore.Share"/> of pixels, the same quantile of the held-out normal images' such means, so a
    /// lone bright speck of normal texture does not pass it (see <see cref="TopShareScore"/>).
    /// </summary>
    /// <remarks>
    /// Off by default: over three seeds it flagged fewer normal images on MTD (11 instead of 16 of 191) and on the
    /// synthetic line-a, but on lines b and c it cost defective images for one or no normal one and their classes
    /// fell slightly (docs/RESULTS.md, stop 39).
    /// </remarks>
    public bool GateOnArea { get; init; }

    /// <summary>The area gate is in force: asked for, with an image gate on position-standardised maps (the calibration's top-share scores are standardised).</summary>
    public bool AreaGateApplies => GateOnArea && ImageGateQuantile is not null && PositionAdjusted && PositionStandardized;

    /// <summary>
    /// Held-out normal image scores that must lie above the gate's quantile for it to be used: a 90th percentile of 18
    /// scores rests on two images (the platform demo's lines, 36 normal images each, missed a third more defective
    /// images with it; docs/RESULTS.md, stop 38). With fewer, the floor alone decides.
    /// </summary>
    public const int MinNormalsAboveGate = 3;

    /// <summary>
    /// Whether a calibration of <paramref name="normals"/> held-out image scores can place a gate at quantile
    /// <paramref name="quantile"/>: <see cref="MinNormalsAboveGate"/> of them lie above it (the tolerance keeps 30 × 0.1 at 3).
    /// </summary>
    public static bool EnoughNormalsFor(double quantile, int normals) => (normals * (1 - quantile)) + 1e-9 >= MinNormalsAboveGate;

    /// <summary>The region gate is in force: asked for, with an image gate on a fixed ceiling (which gives every map the same gate level).</summary>
    public bool RegionGateApplies => GateRegions && CanGateRegions(ImageGateQuantile, Top);

    /// <summary>Whether regions can be gated with this image gate and top: only a fixed ceiling gives every map one gate level.</summary>
    public static bool CanGateRegions(double? imageGate, ScaleTop top) => imageGate is not null && top == ScaleTop.Fixed;

    public void Validate()
    {
        if (double.IsNaN(FloorQuantile) || FloorQuantile is < 0 or > 1)
        {
            throw new InvalidInputException("--floor-quantile", string.Create(CultureInfo.InvariantCulture, $"must be in [0, 1], got {FloorQuantile}"));
        }

        if (ImageGateQuantile is { } gate && (double.IsNaN(gate) || gate is < 0 or > 1))
        {
            throw new InvalidInputException("--image-gate", string.Create(CultureInfo.InvariantCulture, $"must be in [0, 1], got {gate}"));
        }

        if (double.IsNaN(FixedTopFactor) || FixedTopFactor <= 1)
        {
            throw new InvalidInputException("--top-factor", string.Create(CultureInfo.InvariantCulture, $"must be above 1, got {FixedTopFactor}"));
        }
    }
}
