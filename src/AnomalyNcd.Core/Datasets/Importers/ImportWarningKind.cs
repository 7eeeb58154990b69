namespace AnomalyNcd.Core.Datasets.Importers;

public enum ImportWarningKind
{
    /// <summary>A file without its partner (image without mask, annotation or map, or the reverse).</summary>
    Unpaired,

    /// <summary>A mask of a defective image with no foreground: fine at image level, no region at region level.</summary>
    EmptyMask,

    /// <summary>An image left out of the manifest (no boxes, several classes, unreadable annotation).</summary>
    Skipped,

    /// <summary>A box outside the image or malformed: clamped or dropped.</summary>
    BadBox,

    /// <summary>A file or folder that does not belong to the layout and was not imported.</summary>
    Ignored,

    /// <summary>Any other doubt about the data (duplicate split entry, size mismatch).</summary>
    Doubt,
}
