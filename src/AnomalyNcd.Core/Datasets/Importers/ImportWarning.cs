namespace AnomalyNcd.Core.Datasets.Importers;

/// <summary>A problem that did not stop the import; <paramref name="Path"/> is the file or folder concerned.</summary>
public sealed record ImportWarning(ImportWarningKind Kind, string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
