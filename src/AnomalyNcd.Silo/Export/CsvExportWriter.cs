using System.Globalization;
using System.Text;

namespace AnomalyNcd.Silo.Export;

/// <summary>
/// One row per image: <c>image,capturedAt,status,class,className,confidence,regions</c> (RFC 4180: CRLF line ends,
/// a field with a comma, quote or line break is quoted with its quotes doubled). Empty class fields for an unlabelled image.
/// </summary>
public sealed class CsvExportWriter(Stream output) : IExportWriter
{
    public const string Header = "image,capturedAt,status,class,className,confidence,regions";

    private readonly StreamWriter writer = new(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };

    public string ContentType => "text/csv; charset=utf-8";

    public Task BeginAsync(ExportCatalogue catalogue, CancellationToken cancellationToken) =>
        writer.WriteLineAsync(Header.AsMemory(), cancellationToken);

    public Task WriteAsync(ExportImage image, CancellationToken cancellationToken)
    {
        var fields = new[]
        {
            image.ImageId,
            image.CapturedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            image.Status.ToString(),
            image.ClassId ?? string.Empty,
            image.ClassName ?? string.Empty,
            image.Confidence?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty,
            image.Regions.Count.ToString(CultureInfo.InvariantCulture),
        };
        return writer.WriteLineAsync(string.Join(',', fields.Select(Quote)).AsMemory(), cancellationToken);
    }

    public Task EndAsync(CancellationToken cancellationToken) => writer.FlushAsync(cancellationToken);

    public ValueTask DisposeAsync() => writer.DisposeAsync();

    /// <summary>The RFC 4180 form of one field.</summary>
    public static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
}
