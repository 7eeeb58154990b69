using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace AnomalyNcd.Cli.Api;

/// <summary>What the API answered for one image (after retries).</summary>
internal sealed record IngestOutcome(string File, int Status, string? Problem)
{
    public bool Acknowledged => Status is 200 or 201;
}

/// <summary>
/// The HTTP side of <c>ingest</c>: line set-up and uploads, retrying a refused connection or a 503 with backoff.
/// Retrying an upload the server already acknowledged is safe: the same bytes under the same id answer 200.
/// </summary>
internal sealed class IngestClient(HttpClient http, int maxAttempts = 6)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);

    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var response = await http.SendAsync(request(), cancellationToken);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt >= maxAttempts)
                {
                    return response;
                }

                response.Dispose();
            }
            catch (HttpRequestException failure) when (attempt < maxAttempts && IsTransient(failure))
            {
                // The silo may be starting or restarting; try again below.
            }

            await Task.Delay(FirstDelay * Math.Pow(2, attempt - 1), cancellationToken);
        }
    }

    public Task<IngestOutcome> UploadAsync(string line, string imageFile, string? mapFile, CancellationToken cancellationToken) =>
        UploadAsync(line, imageFile, mapFile, null, cancellationToken);

    /// <summary>Uploads one image; <paramref name="groundTruth"/> (optional) is stored as evaluation metadata.</summary>
    public async Task<IngestOutcome> UploadAsync(string line, string imageFile, string? mapFile, string? groundTruth, CancellationToken cancellationToken)
    {
        using var response = await PostImageAsync(line, imageFile, mapFile, groundTruth, cancellationToken);
        var status = (int)response.StatusCode;
        return new IngestOutcome(imageFile, status, response.IsSuccessStatusCode ? null : await ProblemOfAsync(response, cancellationToken));
    }

    /// <summary>Like <see cref="UploadAsync(string, string, string?, string?, CancellationToken)"/>, also returning the image result the API answered (null when refused).</summary>
    public async Task<(IngestOutcome Outcome, JsonElement? Result)> UploadForResultAsync(string line, string imageFile, string? mapFile, string? groundTruth, CancellationToken cancellationToken)
    {
        using var response = await PostImageAsync(line, imageFile, mapFile, groundTruth, cancellationToken);
        var status = (int)response.StatusCode;
        return response.IsSuccessStatusCode
            ? (new IngestOutcome(imageFile, status, null), await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken))
            : (new IngestOutcome(imageFile, status, await ProblemOfAsync(response, cancellationToken)), null);
    }

    private async Task<HttpResponseMessage> PostImageAsync(string line, string imageFile, string? mapFile, string? groundTruth, CancellationToken cancellationToken)
    {
        var imageBytes = await File.ReadAllBytesAsync(imageFile, cancellationToken);
        var mapBytes = mapFile is null ? null : await File.ReadAllBytesAsync(mapFile, cancellationToken);
        var id = Path.GetFileNameWithoutExtension(imageFile);
        return await SendAsync(() =>
        {
            var form = new MultipartFormDataContent
            {
                { new ByteArrayContent(imageBytes), "image", Path.GetFileName(imageFile) },
                { new StringContent(id), "id" },
            };
            if (mapBytes is not null)
            {
                form.Add(new ByteArrayContent(mapBytes), "map", Path.GetFileName(mapFile!));
            }

            if (groundTruth is not null)
            {
                form.Add(new StringContent(groundTruth), "groundTruth");
            }

            return new HttpRequestMessage(HttpMethod.Post, $"api/lines/{Uri.EscapeDataString(line)}/images") { Content = form };
        }, cancellationToken);
    }

    /// <summary>
    /// Uploads several images in one request (<c>POST …/images/batch</c>) and returns one outcome per image, in order.
    /// Maps must be given for all images or none (the API pairs them by order); a missing ground truth is sent empty.
    /// A refused request (not a refused image) gives every image that request's status and problem.
    /// </summary>
    public async Task<IngestOutcome[]> UploadBatchAsync(string line, IReadOnlyList<(string Image, string? Map, string? GroundTruth)> uploads, CancellationToken cancellationToken)
    {
        if (uploads.Any(u => u.Map is null) && uploads.Any(u => u.Map is not null))
        {
            throw new ArgumentException("a batch needs a map for every image or for none", nameof(uploads));
        }

        var files = new List<(string Name, byte[] Image, string? MapName, byte[]? Map, string? GroundTruth)>(uploads.Count);
        foreach (var (image, map, truth) in uploads)
        {
            files.Add((Path.GetFileName(image), await File.ReadAllBytesAsync(image, cancellationToken), map is null ? null : Path.GetFileName(map), map is null ? null : await File.ReadAllBytesAsync(map, cancellationToken), truth));
        }

        var withTruths = uploads.Any(u => u.GroundTruth is not null);
        using var response = await SendAsync(() =>
        {
            var form = new MultipartFormDataContent();
            foreach (var file in files)
            {
                form.Add(new ByteArrayContent(file.Image), "image", file.Name);
                form.Add(new StringContent(Path.GetFileNameWithoutExtension(file.Name)), "id");
                if (file.Map is not null)
                {
                    form.Add(new ByteArrayContent(file.Map), "map", file.MapName!);
                }

                if (withTruths)
                {
                    form.Add(new StringContent(file.GroundTruth ?? string.Empty), "groundTruth");
                }
            }

            return new HttpRequestMessage(HttpMethod.Post, $"api/lines/{Uri.EscapeDataString(line)}/images/batch") { Content = form };
        }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await ProblemOfAsync(response, cancellationToken);
            return [.. uploads.Select(u => new IngestOutcome(u.Image, (int)response.StatusCode, problem))];
        }

        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var items = answer.GetProperty("items").EnumerateArray().ToArray();
        if (items.Length != uploads.Count)
        {
            throw new HttpRequestException($"the batch answer has {items.Length} entries for {uploads.Count} images");
        }

        return [.. items.Select((item, i) =>
        {
            var status = item.GetProperty("status").GetInt32();
            var detail = item.TryGetProperty("problem", out var problem) && problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("detail", out var text)
                ? text.GetString()
                : null;
            return new IngestOutcome(uploads[i].Image, status, status is 200 or 201 ? null : detail ?? $"{status}");
        })];
    }

    /// <summary>The problem details' <c>detail</c>, or the status line when the body is not problem JSON.</summary>
    public static async Task<string> ProblemOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
            {
                return detail.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall back to the status line.
        }

        return $"{(int)response.StatusCode} {response.ReasonPhrase}";
    }

    public async Task<JsonElement?> GetLineAsync(string line, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"api/lines/{Uri.EscapeDataString(line)}"), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureAsync(response, $"reading line '{line}'", cancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    public async Task CreateLineAsync(string line, float? calibrationMin, float? calibrationMax, CancellationToken cancellationToken, byte? mebinFloor = null)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "api/lines")
        {
            Content = JsonContent.Create(new { id = line, calibrationMin, calibrationMax, mebinFloor }),
        }, cancellationToken);
        await EnsureAsync(response, $"creating line '{line}'", cancellationToken);
    }

    /// <summary>Sets the calibration range and keeps the line's other settings as they are.</summary>
    public async Task SetCalibrationAsync(string line, JsonElement summary, float min, float max, CancellationToken cancellationToken, byte? mebinFloor = null)
    {
        var settings = summary.GetProperty("settings");
        int? classCount = settings.TryGetProperty("classCount", out var count) && count.ValueKind == JsonValueKind.Number ? count.GetInt32() : null;
        string? detectorRef = settings.TryGetProperty("detectorRef", out var detector) && detector.ValueKind == JsonValueKind.String ? detector.GetString() : null;
        string? description = settings.TryGetProperty("description", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, $"api/lines/{Uri.EscapeDataString(line)}/settings")
        {
            Content = JsonContent.Create(new { calibrationMin = min, calibrationMax = max, classCount, detectorRef, description, mebinFloor }),
        }, cancellationToken);
        await EnsureAsync(response, $"setting the calibration of line '{line}'", cancellationToken);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{what}: {(int)response.StatusCode} {await ProblemOfAsync(response, cancellationToken)}", null, response.StatusCode);
        }
    }

    private static bool IsTransient(HttpRequestException failure) =>
        failure.HttpRequestError is HttpRequestError.ConnectionError
        || failure.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.ConnectionReset };
}
