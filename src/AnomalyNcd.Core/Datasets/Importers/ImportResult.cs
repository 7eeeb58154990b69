namespace AnomalyNcd.Core.Datasets.Importers;

/// <summary>Rows ready for <see cref="Manifest.Save"/> plus everything the user should know about.</summary>
public sealed record ImportResult(IReadOnlyList<ManifestRow> Rows, IReadOnlyList<ImportWarning> Warnings)
{
    public int CountWarnings(ImportWarningKind kind) => Warnings.Count(w => w.Kind == kind);
}
