using System.Text.Json;

namespace AnomalyNcd.Silo.Export;

/// <summary>
/// <c>{"images":[{"image","fileName","capturedAt","status","width","height","class","className","confidence",
/// "regions":[{"index","box":{"left","up","right","bottom"},"area","score","class","className","confidence","decision"}]}]}</c>.
/// </summary>
public sealed class JsonExportWriter(Stream output) : IExportWriter
{
    private readonly Utf8JsonWriter json = new(output);

    public string ContentType => "application/json; charset=utf-8";

    public Task BeginAsync(ExportCatalogue catalogue, CancellationToken cancellationToken)
    {
        json.WriteStartObject();
        json.WriteStartArray("images");
        return Task.CompletedTask;
    }

    public async Task WriteAsync(ExportImage image, CancellationToken cancellationToken)
    {
        json.WriteStartObject();
        json.WriteString("image", image.ImageId);
        json.WriteString("fileName", image.FileName);
        json.WriteString("capturedAt", image.CapturedAt.ToUniversalTime());
        json.WriteString("status", image.Status.ToString());
        json.WriteNumber("width", image.Width);
        json.WriteNumber("height", image.Height);
        WriteNullable("class", image.ClassId);
        WriteNullable("className", image.ClassName);
        if (image.Confidence is { } confidence)
        {
            json.WriteNumber("confidence", confidence);
        }
        else
        {
            json.WriteNull("confidence");
        }

        json.WriteStartArray("regions");
        foreach (var region in image.Regions)
        {
            json.WriteStartObject();
            json.WriteNumber("index", region.Index);
            json.WriteStartObject("box");
            json.WriteNumber("left", region.Box.Left);
            json.WriteNumber("up", region.Box.Up);
            json.WriteNumber("right", region.Box.Right);
            json.WriteNumber("bottom", region.Box.Bottom);
            json.WriteEndObject();
            json.WriteNumber("area", region.Area);
            json.WriteNumber("score", region.Score);
            WriteNullable("class", region.ClassId);
            WriteNullable("className", region.ClassName);
            json.WriteNumber("confidence", region.Confidence);
            WriteNullable("decision", region.Decision);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        if (json.BytesPending > 32 * 1024)
        {
            await json.FlushAsync(cancellationToken);
        }
    }

    public async Task EndAsync(CancellationToken cancellationToken)
    {
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => json.DisposeAsync();

    private void WriteNullable(string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
