namespace AnomalyNcd.Core.Binarization;

/// <summary>
/// Parameters of MEBin (method-spec §5.3–5.4). The defaults are the official configuration:
/// sample rate 4 (64 normalised thresholds 255, 251, …, 3), stable interval length τ = 4,
/// erosion on with a 6×6 kernel of ones.
/// </summary>
public sealed record MebinOptions
{
    public static MebinOptions Default { get; } = new();

    /// <summary>Step between normalised thresholds; thresholds are 255 − k·step while positive.</summary>
    public int SampleRate { get; init; } = 4;

    /// <summary>τ: minimum number of consecutive equal counts for a stable interval.</summary>
    public int MinIntervalLength { get; init; } = 4;

    /// <summary>Erode every binary map (and the final mask) with a square kernel of ones.</summary>
    public bool Erode { get; init; } = true;

    /// <summary>Side of the square erosion kernel; OpenCV's default anchor is at KernelSize / 2.</summary>
    public int ErodeKernelSize { get; init; } = 6;

    /// <summary>Largest erosion kernel side a user may give: beyond it every region of a small map is eroded away.</summary>
    public const int MaxErodeKernelSize = 32;

    /// <summary>The normalised thresholds, highest first (index j ↦ 255 − SampleRate·j).</summary>
    public int[] NormalizedThresholds()
    {
        Validate();
        var thresholds = new List<int>();
        for (var t = 255; t > 0; t -= SampleRate)
        {
            thresholds.Add(t);
        }

        return [.. thresholds];
    }

    /// <summary>Normalised threshold of sweep index <paramref name="index"/>.</summary>
    public int NormalizedThresholdAt(int index) => 255 - (SampleRate * index);

    /// <summary>The rule for an erosion kernel a user gives (<c>--erode-kernel</c>): 1 (no erosion) to <see cref="MaxErodeKernelSize"/>.</summary>
    public static void ValidateErodeKernelSize(int value)
    {
        if (value is < 1 or > MaxErodeKernelSize)
        {
            throw new Common.InvalidInputException("--erode-kernel", $"must be 1 (no erosion) to {MaxErodeKernelSize} pixels, got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }

    public void Validate()
    {
        if (SampleRate is < 1 or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(SampleRate), SampleRate, "sample rate must be 1..255");
        }

        if (MinIntervalLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinIntervalLength), MinIntervalLength, "the stable interval length must be at least 1");
        }

        if (ErodeKernelSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ErodeKernelSize), ErodeKernelSize, "the erosion kernel size must be at least 1");
        }
    }
}
