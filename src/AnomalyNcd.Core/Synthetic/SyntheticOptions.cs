using System.Globalization;
using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Synthetic;

/// <summary>What the synthetic factory makes: how many lines, images per line, image size and normal share.</summary>
/// <param name="Lines">Number of product lines (line-a, line-b, ...).</param>
/// <param name="ImagesPerLine">Images generated for every line.</param>
/// <param name="Size">Width and height of the square images in pixels.</param>
/// <param name="NormalFraction">Share of each line's images without defects (label good).</param>
/// <param name="Seed">Everything is a pure function of the options, this seed included.</param>
public sealed record SyntheticOptions(
    int Lines = 3,
    int ImagesPerLine = 200,
    int Size = 256,
    double NormalFraction = 0.3,
    int Seed = 0)
{
    public const int MaxDefectsPerImage = 20;

    /// <summary>
    /// Defects per defective image, drawn uniformly from this range with kinds drawn independently (a board or wafer
    /// with several small defects); null keeps the standard plan (one defect, a second of another kind on 15 %).
    /// </summary>
    public (int Min, int Max)? DefectsPerImage { get; init; }

    /// <summary>Size of every defect relative to the standard ranges of its kind (1 = standard; 0.4 = small).</summary>
    public double DefectScale { get; init; } = 1.0;

    public const int MaxLines = 702; // line-a .. line-zz
    public const int MinSize = 64;
    public const int MaxSize = 4096;
    public const int MaxImagesPerLine = 100_000;

    /// <summary>Share of defective images that carry a second defect of another kind.</summary>
    public const double TwoDefectFraction = 0.15;

    /// <summary>Share of a line's normal images (the first ones) put in the train split.</summary>
    public const double TrainShareOfNormals = 0.6;

    /// <summary>Refuses values the generator cannot honour, naming the option and the accepted range.</summary>
    public void Validate()
    {
        if (Lines < 1 || Lines > MaxLines)
        {
            throw new InvalidInputException("--lines", $"must be between 1 and {MaxLines}, got {Lines}");
        }

        if (ImagesPerLine < 1 || ImagesPerLine > MaxImagesPerLine)
        {
            throw new InvalidInputException("--images", $"must be between 1 and {MaxImagesPerLine}, got {ImagesPerLine}");
        }

        if (Size < MinSize || Size > MaxSize)
        {
            throw new InvalidInputException("--size", $"must be between {MinSize} and {MaxSize} pixels, got {Size}");
        }

        if (double.IsNaN(NormalFraction) || NormalFraction < 0 || NormalFraction > 1)
        {
            throw new InvalidInputException("--normal-fraction", $"must be between 0 and 1, got {NormalFraction.ToString(CultureInfo.InvariantCulture)}");
        }

        if (DefectsPerImage is var (min, max) && (min < 1 || max < min || max > MaxDefectsPerImage))
        {
            throw new InvalidInputException("--defects-per-image", $"must be a range MIN-MAX with 1 <= MIN <= MAX <= {MaxDefectsPerImage}, got {min}-{max}");
        }

        if (double.IsNaN(DefectScale) || DefectScale < 0.1 || DefectScale > 2)
        {
            throw new InvalidInputException("--defect-scale", $"must be between 0.1 and 2, got {DefectScale.ToString(CultureInfo.InvariantCulture)}");
        }
    }
}
