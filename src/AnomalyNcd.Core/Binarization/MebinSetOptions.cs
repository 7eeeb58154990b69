namespace AnomalyNcd.Core.Binarization;

/// <summary>How a set of maps is binarised: MEBin parameters, the B2 policy and the parallelism.</summary>
public sealed record MebinSetOptions
{
    public static MebinSetOptions Default { get; } = new();

    public MebinOptions Mebin { get; init; } = MebinOptions.Default;

    /// <summary>What to do when every map of the set has the same maximum (bug B2); refuse by default.</summary>
    public DegenerateRangePolicy DegenerateRange { get; init; } = DegenerateRangePolicy.Refuse;

    /// <summary>Maps binarised at the same time; −1 = one per core, 1 = sequential.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>
    /// A search range fixed in advance (e.g. <see cref="Maps.NormalReferencedScale.MebinRange"/>) instead of the set's
    /// own (method-spec §5.1); null keeps the reference behaviour.
    /// </summary>
    public MebinRange? FixedRange { get; init; }

    public MebinImplementation Implementation { get; init; } = MebinImplementation.Fast;

    /// <summary>One stable threshold per map (MEBin, the reference) or one region per persistent peak.</summary>
    public RegionRule Rule { get; init; } = RegionRule.StableCount;

    /// <summary>Which peaks become regions under <see cref="RegionRule.PersistentPeaks"/>.</summary>
    public PeakRegionOptions Peaks { get; init; } = PeakRegionOptions.Default;

    /// <summary>
    /// These options with every persistent peak required to reach <paramref name="regionGateLevel"/> (a detector's image
    /// gate on its 8-bit scale, <see cref="Maps.NormalReferencedScale.RegionGateLevel"/>); null leaves them as they are.
    /// </summary>
    public MebinSetOptions GatedAt(byte? regionGateLevel) =>
        regionGateLevel is { } level ? this with { Peaks = Peaks with { MinPeakLevel = level } } : this;
}
