namespace AnomalyNcd.Silo.Export;

/// <summary>Writes one export format to a stream, one image at a time, so an export never holds the whole line.</summary>
public interface IExportWriter : IAsyncDisposable
{
    string ContentType { get; }

    Task BeginAsync(ExportCatalogue catalogue, CancellationToken cancellationToken);

    Task WriteAsync(ExportImage image, CancellationToken cancellationToken);

    Task EndAsync(CancellationToken cancellationToken);
}

/// <summary>The writer of each format.</summary>
public static class ExportWriters
{
    public static IExportWriter For(ExportFormat format, Stream output) => format switch
    {
        ExportFormat.Csv => new CsvExportWriter(output),
        ExportFormat.Json => new JsonExportWriter(output),
        _ => new CocoExportWriter(output),
    };
}
