namespace AnomalyNcd.Core.Detection;

/// <summary>
/// The JSON half of a saved PatchCore detector (<c>detector.json</c>); the bank itself is <see cref="BankFile"/>, raw
/// little-endian float32, <see cref="BankSize"/> rows of <see cref="Dimension"/> values.
/// </summary>
public sealed record DetectorMetadata
{
    /// <summary>Bumped whenever features, bank layout or scoring change; loading refuses any other version.</summary>
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    public string Method { get; init; } = "patchcore";

    /// <summary>The product line fitted on; null when all lines were used.</summary>
    public string? Line { get; init; }

    public string Backbone { get; init; } = "resnet18 (ONNX, Microsoft.ML.DnnImageFeaturizer.ResNet18)";

    /// <summary>"fp32" or "int8" (see <see cref="Features.BackbonePrecisionNames"/>); files written before this field existed are fp32.</summary>
    public string Precision { get; init; } = "fp32";

    /// <summary>With int8, the calibrated activation ranges the quantised backbone is rebuilt from; null for fp32.</summary>
    public IReadOnlyDictionary<string, Features.ActivationRange>? Int8Ranges { get; init; }

    public IReadOnlyList<string> Stages { get; init; } = [];

    /// <summary>"squash" or "tiles" (<see cref="PatchLayout"/>); files written before this field existed are squash.</summary>
    public string? Layout { get; init; }

    /// <summary>The backbone's input side: the whole image (squash) or each tile (tiles) is InputSize².</summary>
    public int InputSize { get; init; }

    public int GridSize { get; init; }

    public int Neighbourhood { get; init; }

    public int Dimension { get; init; }

    public int BankSize { get; init; }

    public string BankFile { get; init; } = "bank.f32";

    public int FittedImages { get; init; }

    public long TrainingPatches { get; init; }

    public double CoresetFraction { get; init; }

    public int ProjectionDimension { get; init; }

    public int Seed { get; init; }

    public double SmoothingSigma { get; init; }

    /// <summary>How scores are scaled: "none" — a score is the L2 distance (feature units) to the nearest bank patch.</summary>
    public string ScoreNormalisation { get; init; } = "none";

    /// <summary>Largest projected distance from a training patch to the bank after coreset selection (a scale reference).</summary>
    public double CoveringRadius { get; init; }
}
