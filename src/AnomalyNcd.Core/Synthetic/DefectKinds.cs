namespace AnomalyNcd.Core.Synthetic;

/// <summary>Label names of <see cref="DefectKind"/> values as they appear in manifests.</summary>
public static class DefectKinds
{
    /// <summary>The label of normal (defect-free) images.</summary>
    public const string NormalLabel = "good";

    public static string Name(this DefectKind kind) => kind switch
    {
        DefectKind.Scratch => "scratch",
        DefectKind.Spot => "spot",
        DefectKind.Crack => "crack",
        DefectKind.Stain => "stain",
        DefectKind.MissingPiece => "missing_piece",
        DefectKind.Contamination => "contamination",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown defect kind"),
    };
}
