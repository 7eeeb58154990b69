using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Extraction;

/// <summary>One crop of one image: a row of <c>regions.csv</c>.</summary>
public sealed record RegionRecord(
    string Image,
    int Region,
    double Left,
    double Up,
    double Right,
    double Bottom,
    int Area,
    double Score,
    string Line,
    string? Label,
    string? Crop,
    string? CropMask)
{
    public static readonly string[] Header = ["image", "region", "left", "up", "right", "bottom", "area", "score", "line", "label", "crop", "crop_mask"];

    public string ToCsv() => CsvTable.Join([
        Image,
        Region.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Format(Left), Format(Up), Format(Right), Format(Bottom),
        Area.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Score.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture),
        Line, Label, Crop, CropMask,
    ]);

    private static string Format(double value) => value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}
