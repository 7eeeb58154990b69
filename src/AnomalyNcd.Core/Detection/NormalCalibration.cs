using System.Globalization;
using System.Text.Json;
using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Detection;

/// <summary>
/// What a line's detector scores on normal images it has not memorised: the image scores (map maxima) and pixel-score
/// quantiles of held-out normal training images, each scored against the bank without its own patches (leave one
/// out). Kept as <c>calibration.json</c> in the detector folder; it does not depend on which images are scored later,
/// so a streamed image is binarised exactly as it would be in a batch.
/// </summary>
public sealed record NormalCalibration
{
    public const string FileName = "calibration.json";

    /// <summary>Bumped when the meaning of a field changes; loading refuses any other version.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The pixel quantiles kept (of all pixels of all held-out maps).</summary>
    public static readonly IReadOnlyList<double> PixelLevels = [0.5, 0.9, 0.99, 0.999, 1.0];

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>How the held-out scores were obtained.</summary>
    public string Method { get; init; } = "leave-one-image-out";

    /// <summary>Image scores of the held-out normal images, ascending.</summary>
    public IReadOnlyList<float> ImageScores { get; init; } = [];

    /// <summary>Pixel-score quantiles at <see cref="PixelLevels"/>, same order.</summary>
    public IReadOnlyList<float> PixelQuantiles { get; init; } = [];

    /// <summary>Side of the detector's patch grid (the <see cref="PositionReference"/> has GridSize² cells).</summary>
    public int GridSize { get; init; }

    /// <summary>The detector's map smoothing σ, so that the reference is drawn exactly as its maps are.</summary>
    public double SmoothingSigma { get; init; }

    /// <summary>
    /// Mean held-out normal patch distance per grid cell (row-major; the grid spans the image whatever its size):
    /// what a normal image scores at each position, e.g. higher along the borders, where the backbone sees padding.
    /// </summary>
    public IReadOnlyList<float> PositionReference { get; init; } = [];

    /// <summary>Image scores of held-out normal maps after subtracting the <see cref="PositionReference"/>, ascending.</summary>
    public IReadOnlyList<float> AdjustedImageScores { get; init; } = [];

    /// <summary>
    /// Standard deviation of the held-out normal patch distance per grid cell (same layout as the
    /// <see cref="PositionReference"/>), at least <see cref="SpreadFloorFraction"/> of its median: how much a normal
    /// image varies at each position. Empty in calibrations written before it existed.
    /// </summary>
    public IReadOnlyList<float> PositionSpread { get; init; } = [];

    /// <summary>Image scores of held-out normal maps standardised by the position reference and spread, ascending.</summary>
    public IReadOnlyList<float> StandardizedImageScores { get; init; } = [];

    /// <summary>
    /// <see cref="Maps.TopShareScore"/> of the held-out normal maps standardised by position, ascending: what the area
    /// gate compares an image's own top-share score with. Empty in calibrations written before it existed.
    /// </summary>
    public IReadOnlyList<float> StandardizedTopShareScores { get; init; } = [];

    /// <summary>Whether the calibration has <see cref="StandardizedTopShareScores"/> (needed for the area gate).</summary>
    public bool HasTopShare => StandardizedTopShareScores.Count > 0;

    /// <summary>A cell's spread is at least this fraction of the median spread, so that a few very steady cells cannot blow up.</summary>
    public const float SpreadFloorFraction = 0.5f;

    /// <summary>Whether the calibration has a <see cref="PositionSpread"/> (needed to standardise maps).</summary>
    public bool HasSpread => PositionSpread.Count > 0;

    /// <summary>Held-out normal images.</summary>
    public int Images => ImageScores.Count;

    /// <summary>Builds the calibration from held-out normal maps (any order).</summary>
    public static NormalCalibration FromMaps(IReadOnlyList<AnomalyMap> normalMaps)
    {
        ArgumentNullException.ThrowIfNull(normalMaps);
        if (normalMaps.Count == 0)
        {
            throw new InvalidInputException(null, "no held-out normal maps to calibrate on");
        }

        var pixels = new float[normalMaps.Sum(m => (long)m.Values.Length)];
        var offset = 0;
        foreach (var map in normalMaps)
        {
            map.Values.CopyTo(pixels, offset);
            offset += map.Values.Length;
        }

        Array.Sort(pixels);
        return new NormalCalibration
        {
            ImageScores = [.. normalMaps.Select(m => m.Score).Order()],
            PixelQuantiles = [.. PixelLevels.Select(q => Quantile(pixels, q))],
        };
    }

    /// <summary>The q-quantile (0..1) of the held-out image scores, linear between order statistics.</summary>
    public float ImageScoreQuantile(double q) => Quantile([.. ImageScores], q);

    /// <summary>The q-quantile of the held-out image scores after subtracting the position reference.</summary>
    public float AdjustedImageScoreQuantile(double q) => Quantile([.. AdjustedImageScores], q);

    /// <summary>The q-quantile of the held-out image scores after standardising by position (reference and spread).</summary>
    public float StandardizedImageScoreQuantile(double q) => Quantile([.. StandardizedImageScores], q);

    /// <summary>The q-quantile of the held-out top-share scores (standardised maps).</summary>
    public float StandardizedTopShareQuantile(double q) => Quantile([.. StandardizedTopShareScores], q);

    /// <summary>The position spread drawn at width×height exactly as the detector draws its maps.</summary>
    public float[] RenderSpread(int width, int height) =>
        PatchCoreDetector.Render([.. PositionSpread], GridSize, GridSize, SmoothingSigma, width, height, width, height);

    /// <summary>The position reference drawn at width×height exactly as the detector draws its maps.</summary>
    public float[] RenderReference(int width, int height) =>
        PatchCoreDetector.Render([.. PositionReference], GridSize, GridSize, SmoothingSigma, width, height, width, height);

    /// <summary>The stored pixel quantile at exactly one of <see cref="PixelLevels"/>.</summary>
    public float PixelQuantile(double level)
    {
        for (var i = 0; i < PixelLevels.Count; i++)
        {
            if (PixelLevels[i] == level)
            {
                return PixelQuantiles[i];
            }
        }

        throw new ArgumentOutOfRangeException(nameof(level), level, $"kept pixel levels are {string.Join(", ", PixelLevels)}");
    }

    public void Save(string folder) =>
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>Loads <c>calibration.json</c> of a detector folder, refusing a missing, damaged or other-version file.</summary>
    public static NormalCalibration Load(string detectorFolder)
    {
        var path = Path.Combine(detectorFolder, FileName);
        if (!File.Exists(path))
        {
            throw new InvalidInputException(path, "the detector has no normal calibration (it was fitted before calibration existed, or the file was removed); fit it again with 'detect fit'");
        }

        NormalCalibration? calibration;
        try
        {
            calibration = JsonSerializer.Deserialize<NormalCalibration>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidInputException(path, $"not a normal calibration file ({ex.Message})", ex);
        }

        if (calibration is null)
        {
            throw new InvalidInputException(path, "not a normal calibration file (empty)");
        }

        if (calibration.FormatVersion != CurrentFormatVersion)
        {
            throw new InvalidInputException(path, $"normal calibration format version {calibration.FormatVersion}, this program reads version {CurrentFormatVersion}; fit the detector again");
        }

        if (calibration.ImageScores.Count == 0 || calibration.PixelQuantiles.Count != PixelLevels.Count
            || calibration.ImageScores.Concat(calibration.PixelQuantiles).Any(v => !float.IsFinite(v) || v < 0))
        {
            throw new InvalidInputException(path, $"normal calibration is damaged: expected finite non-negative image scores and {PixelLevels.Count} pixel quantiles");
        }

        if (calibration.GridSize <= 0 || calibration.PositionReference.Count != calibration.GridSize * calibration.GridSize
            || calibration.AdjustedImageScores.Count != calibration.ImageScores.Count
            || calibration.PositionReference.Concat(calibration.AdjustedImageScores).Any(v => !float.IsFinite(v)))
        {
            throw new InvalidInputException(path, "normal calibration is damaged: the position reference or the adjusted image scores are missing or not finite");
        }

        if (calibration.HasSpread
            && (calibration.PositionSpread.Count != calibration.PositionReference.Count
                || calibration.StandardizedImageScores.Count != calibration.ImageScores.Count
                || calibration.PositionSpread.Any(v => !float.IsFinite(v) || v <= 0)
                || calibration.StandardizedImageScores.Any(v => !float.IsFinite(v))))
        {
            throw new InvalidInputException(path, "normal calibration is damaged: the position spread must have one positive value per grid cell and one standardised score per held-out image");
        }

        if (calibration.HasTopShare
            && (!calibration.HasSpread || calibration.StandardizedTopShareScores.Count != calibration.ImageScores.Count
                || calibration.StandardizedTopShareScores.Any(v => !float.IsFinite(v))))
        {
            throw new InvalidInputException(path, "normal calibration is damaged: the top-share scores need the position spread and one finite score per held-out image");
        }

        return calibration;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Images} held-out normal images, image score median {ImageScoreQuantile(0.5):0.###} / max {ImageScores[^1]:0.###}, pixel q99.9 {PixelQuantile(0.999):0.###}");

    private static float Quantile(float[] sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return float.NaN;
        }

        var position = Math.Clamp(q, 0, 1) * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return (float)(sorted[low] + ((position - low) * (sorted[high] - sorted[low])));
    }
}
