namespace AnomalyNcd.Core.Binarization;

/// <summary>
/// Which rule turns a map into regions: MEBin's one stable threshold per image (the reference), or one region per
/// persistent peak, each cut at its own height (<see cref="PeakRegions"/>), for parts with several defects of
/// different strength.
/// </summary>
public enum RegionRule
{
    /// <summary>MEBin (method-spec §5): the threshold whose component count stays the same longest.</summary>
    StableCount,

    /// <summary>Every peak that rises far enough above where it joins a higher one becomes its own region.</summary>
    PersistentPeaks,
}

/// <summary>Which rule each path takes unless told otherwise: one place for the CLI and the platform.</summary>
public static class RegionRuleDefaults
{
    /// <summary>Maps that come with the images (<c>discover --maps</c>, uploads with a map): the reference's MEBin (parity).</summary>
    public const RegionRule MapsGiven = RegionRule.StableCount;

    /// <summary>Raw images scored by a line's detector against its normal calibration (measured better: docs/RESULTS.md).</summary>
    public const RegionRule DetectorMaps = RegionRule.PersistentPeaks;
}

/// <summary>
/// When a peak of the (eroded) map becomes a region under <see cref="RegionRule.PersistentPeaks"/>: its persistence
/// (peak level minus the level where it joins a higher peak, or the range floor for the highest) must reach
/// <see cref="MinPersistence"/> normalised levels and <see cref="MinProminence"/> of its own height above the floor.
/// </summary>
public sealed record PeakRegionOptions
{
    public static PeakRegionOptions Default { get; } = new();

    /// <summary>
    /// In MEBin's normalised 0–255 levels. 16 is the stability MEBin itself asks for: a count unchanged over τ = 4
    /// thresholds spaced 4 levels apart.
    /// </summary>
    public double MinPersistence { get; init; } = 16;

    /// <summary>
    /// Share of the peak's height that it must rise above the saddle to a higher peak: a bump on the flank of one
    /// defect (an uneven response) stays part of it, a second defect on the background does not.
    /// </summary>
    public double MinProminence { get; init; } = 0.5;

    /// <summary>
    /// Lowest level (0–255, on the eroded map) a peak must reach to be a region; 0 keeps every peak. Raw images set it
    /// from the normal calibration's gate, so that a region, like an image, must score beyond what normal parts reach.
    /// </summary>
    public double MinPeakLevel { get; init; }

    /// <summary>
    /// Where a peak is cut, as a share of its rise above its saddle (or the floor): 0.5 cuts halfway (the rule measured
    /// since persistent peaks exist); a smaller share cuts lower, so a region reaches further down the defect's flanks.
    /// </summary>
    public double CutFraction { get; init; } = 0.5;

    /// <summary>The rule for user-given values: persistence 0–255, prominence 0–1.</summary>
    public void Validate()
    {
        if (!(MinPersistence is >= 0 and <= 255))
        {
            throw new Common.InvalidInputException("--peak-persistence", $"must be 0 to 255 normalised levels, got {MinPersistence.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        if (!(MinPeakLevel is >= 0 and <= 255))
        {
            throw new ArgumentOutOfRangeException(nameof(MinPeakLevel), MinPeakLevel, "must be 0 to 255 normalised levels");
        }

        if (!(CutFraction is > 0 and <= 1))
        {
            throw new Common.InvalidInputException("--peak-cut", $"must be above 0 and at most 1, got {CutFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        if (!(MinProminence is >= 0 and <= 1))
        {
            throw new Common.InvalidInputException("--peak-prominence", $"must be 0 to 1, got {MinProminence.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }
}
