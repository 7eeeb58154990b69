using System.Text;
using System.Text.Json;

namespace AnomalyNcd.Silo.Export;

/// <summary>
/// The regions of confirmed classes as a COCO detection data set: <c>info</c>, <c>categories</c> (id from 1, name =
/// the confirmed class's name, <c>classId</c>), <c>images</c> (id from 1, file_name, width, height, capturedAt) and
/// <c>annotations</c> (id, image_id, category_id, bbox [x, y, w, h] = the region box, area = the region's pixel area,
/// iscrowd 0). Images with no region of a confirmed class are omitted. Annotations are spooled to a temporary file
/// while the images stream out, so the export never holds the line in memory.
/// </summary>
public sealed class CocoExportWriter(Stream output) : IExportWriter
{
    private readonly Utf8JsonWriter json = new(output);
    private readonly FileStream spool = new(
        Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
    private Utf8JsonWriter? annotations;
    private readonly Dictionary<string, int> categories = new(StringComparer.Ordinal);
    private int imageCount;
    private int annotationCount;

    public string ContentType => "application/json; charset=utf-8";

    public Task BeginAsync(ExportCatalogue catalogue, CancellationToken cancellationToken)
    {
        annotations = new Utf8JsonWriter(spool);
        annotations.WriteStartArray();
        json.WriteStartObject();
        json.WriteStartObject("info");
        json.WriteString("description", "AnomalyNcd export: regions of confirmed classes");
        json.WriteString("date_created", DateTimeOffset.UtcNow);
        json.WriteEndObject();
        json.WriteStartArray("categories");
        foreach (var confirmed in catalogue.Confirmed)
        {
            var id = categories.Count + 1;
            categories[confirmed.ClassId] = id;
            json.WriteStartObject();
            json.WriteNumber("id", id);
            json.WriteString("name", confirmed.Name ?? confirmed.ClassId);
            json.WriteString("classId", confirmed.ClassId);
            json.WriteString("supercategory", "defect");
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("images");
        return Task.CompletedTask;
    }

    public async Task WriteAsync(ExportImage image, CancellationToken cancellationToken)
    {
        var kept = image.Regions.Where(r => r.ClassId is not null && categories.ContainsKey(r.ClassId)).ToList();
        if (kept.Count == 0)
        {
            return;
        }

        var imageId = ++imageCount;
        json.WriteStartObject();
        json.WriteNumber("id", imageId);
        json.WriteString("file_name", image.FileName);
        json.WriteNumber("width", image.Width);
        json.WriteNumber("height", image.Height);
        json.WriteString("capturedAt", image.CapturedAt.ToUniversalTime());
        json.WriteEndObject();
        foreach (var region in kept)
        {
            annotations!.WriteStartObject();
            annotations.WriteNumber("id", ++annotationCount);
            annotations.WriteNumber("image_id", imageId);
            annotations.WriteNumber("category_id", categories[region.ClassId!]);
            annotations.WriteStartArray("bbox");
            annotations.WriteNumberValue(region.Box.Left);
            annotations.WriteNumberValue(region.Box.Up);
            annotations.WriteNumberValue(region.Box.Right - region.Box.Left);
            annotations.WriteNumberValue(region.Box.Bottom - region.Box.Up);
            annotations.WriteEndArray();
            annotations.WriteNumber("area", region.Area);
            annotations.WriteNumber("iscrowd", 0);
            annotations.WriteEndObject();
        }

        if (annotations!.BytesPending > 32 * 1024)
        {
            await annotations.FlushAsync(cancellationToken);
        }

        if (json.BytesPending > 32 * 1024)
        {
            await json.FlushAsync(cancellationToken);
        }
    }

    public async Task EndAsync(CancellationToken cancellationToken)
    {
        json.WriteEndArray();
        await json.FlushAsync(cancellationToken);
        annotations!.WriteEndArray();
        await annotations.FlushAsync(cancellationToken);

        // The annotations array is copied as it was spooled; the closing brace ends the object the writer opened.
        await output.WriteAsync(Encoding.UTF8.GetBytes(",\"annotations\":"), cancellationToken);
        spool.Position = 0;
        await spool.CopyToAsync(output, cancellationToken);
        await output.WriteAsync("}"u8.ToArray(), cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (annotations is not null)
        {
            await annotations.DisposeAsync();
        }

        await json.DisposeAsync();
        await spool.DisposeAsync();
    }
}
