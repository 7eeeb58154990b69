using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Features;

/// <summary>The spelling of <see cref="BackbonePrecision"/> in detector files and on the command line: "fp32" or "int8".</summary>
public static class BackbonePrecisionNames
{
    public static string Name(this BackbonePrecision precision) => precision switch
    {
        BackbonePrecision.Fp32 => "fp32",
        BackbonePrecision.Int8 => "int8",
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown backbone precision."),
    };

    /// <exception cref="InvalidInputException">Neither "fp32" nor "int8"; <paramref name="source"/> names where it came from.</exception>
    public static BackbonePrecision Parse(string? value, string source) => value switch
    {
        "fp32" => BackbonePrecision.Fp32,
        "int8" => BackbonePrecision.Int8,
        _ => throw new InvalidInputException(source, $"backbone precision must be 'fp32' or 'int8', got '{value}'"),
    };
}
