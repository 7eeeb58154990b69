namespace AnomalyNcd.Core.Cropping;

/// <summary>
/// Parameters of the anomaly-centred cropping (method-spec §6). The defaults reproduce the reference
/// ("parity mode"); the improvement switches fix known weaknesses (§13 B1, B4, B5) when turned on.
/// </summary>
public sealed record CropOptions
{
    /// <summary>Parity defaults: padding 0.1, merge distance 0.01, minimum crop size 0.1, no improvements.</summary>
    public static CropOptions Parity { get; } = new();

    /// <summary>Parity parameters with every improvement switch on (transitive merge, clamping, masks kept in memory).</summary>
    public static CropOptions Improved { get; } = new()
    {
        TransitiveMerging = true,
        ClampMergedBoxes = true,
        TreatAllForegroundMaskAsEmpty = false,
    };

    /// <summary>Margin around a region: the square side is (1 + Padding) times the region's longer side.</summary>
    public double Padding { get; init; } = 0.1;

    /// <summary>Boxes closer than int(MaxMergeDistance · max(H, W)) pixels are merged.</summary>
    public double MaxMergeDistance { get; init; } = 0.01;

    /// <summary>The half-side of a box is at least int(MinCropSize · max(H, W)).</summary>
    public double MinCropSize { get; init; } = 0.1;

    /// <summary>
    /// Merge whole connected groups of the "gap below threshold" relation instead of the reference's
    /// single pass, which can emit overlapping crops sharing regions (§13 B4). Off in parity mode.
    /// </summary>
    public bool TransitiveMerging { get; init; }

    /// <summary>
    /// After merging, shift every box back inside the image along each axis where its side fits, and clip
    /// it to the image where it does not (§13 B4/B5). The reference leaves merged boxes sticking out
    /// (zero-padded crops). Off in parity mode.
    /// </summary>
    public bool ClampMergedBoxes { get; init; }

    /// <summary>
    /// Every region gets its own crop: no merging of near boxes and no cut at MEBin's estimate + 1. For parts that
    /// carry several small defects (boards, wafers), where the reference's merging puts neighbours into one crop
    /// and one class. Off in parity mode.
    /// </summary>
    public bool CropEveryRegion { get; init; }

    /// <summary>
    /// Reference bug B1: masks round-trip through matplotlib's auto-scaling, so an all-foreground mask
    /// is read back black and cropped as an empty mask. On in parity mode.
    /// </summary>
    public bool TreatAllForegroundMaskAsEmpty { get; init; } = true;

    /// <summary>The rule for a minimum crop size a user gives (<c>--min-crop-size</c>): above 0, at most half the image.</summary>
    public static void ValidateMinCropSize(double value)
    {
        if (!(value is > 0 and <= 0.5))
        {
            throw new Common.InvalidInputException("--min-crop-size", $"must be above 0 and at most 0.5, got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }

    internal void Validate()
    {
        if (!(Padding >= 0) || !(MaxMergeDistance >= 0) || !(MinCropSize >= 0) || MinCropSize > 0.5)
        {
            throw new ArgumentException(
                $"invalid crop options: padding {Padding}, merge distance {MaxMergeDistance}, minimum crop size {MinCropSize} " +
                "(all must be non-negative, minimum crop size at most 0.5)");
        }
    }
}
