namespace AnomalyNcd.Core.Synthetic;

/// <summary>The defect kinds the synthetic factory can paint; <see cref="DefectKinds.Name"/> gives the label text.</summary>
public enum DefectKind
{
    /// <summary>Thin, long, gently curved line, brighter or darker than the surface.</summary>
    Scratch,

    /// <summary>Small dark or bright blob (pit, bump, dot).</summary>
    Spot,

    /// <summary>Dark jagged polyline with side branches.</summary>
    Crack,

    /// <summary>Large soft low-contrast blob, possibly tinted.</summary>
    Stain,

    /// <summary>Chipped edge or hole where the backing shows through.</summary>
    MissingPiece,

    /// <summary>Cluster of small specks.</summary>
    Contamination,
}
