using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Silo.Api;

namespace AnomalyNcd.Cli.Api;

/// <summary>
/// The typed client of the AnomalyNcd HTTP API, shared by <c>ingest</c>, <c>demo</c> and <c>bench ingest</c>: answers
/// are the Contracts records, read with the server's JSON options (<see cref="ApiJson"/>). A refused connection or a
/// 503 is retried with backoff up to <paramref name="maxAttempts"/> times (1 = never, as the bench measures each
/// request once); retrying an upload the server already acknowledged is safe, the same bytes under the same id answer 200.
/// A refused call throws <see cref="HttpRequestException"/> with the status and the problem's detail.
/// </summary>
internal sealed partial class AnomalyNcdApiClient(HttpClient http, int maxAttempts = 6)
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

    /// <summary>The line's summary, or null when the line does not exist.</summary>
    public async Task<LineSummary?> GetLineAsync(string line, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, LinePath(line)), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return await ReadAsync<LineSummary>(response, $"reading line '{line}'", cancellationToken);
    }

    public Task<LineSummary> CreateLineAsync(string line, LineSettings settings, CancellationToken cancellationToken) =>
        CallAsync<LineSummary>(HttpMethod.Post, "api/lines",
            new CreateLineRequest(line, settings.CalibrationMin, settings.CalibrationMax, settings.ClassCount, settings.DetectorRef, settings.Description, settings.MebinFloor, settings.NormalGroundTruth),
            $"creating line '{line}'", cancellationToken);

    public Task<LineSummary> UpdateSettingsAsync(string line, LineSettings settings, CancellationToken cancellationToken) =>
        CallAsync<LineSummary>(HttpMethod.Put, $"{LinePath(line)}/settings",
            new LineSettingsRequest(settings.CalibrationMin, settings.CalibrationMax, settings.ClassCount, settings.DetectorRef, settings.Description, settings.MebinFloor, settings.NormalGroundTruth),
            $"setting the calibration of line '{line}'", cancellationToken);

    /// <summary>Sets the calibration range (and MEBin floor) and keeps the line's other settings as they are.</summary>
    public Task<LineSummary> SetCalibrationAsync(LineSummary current, float min, float max, byte? mebinFloor, CancellationToken cancellationToken) =>
        UpdateSettingsAsync(current.LineId, current.Settings with { CalibrationMin = min, CalibrationMax = max, MebinFloor = mebinFloor }, cancellationToken);

    public Task<DefectClass[]> GetClassesAsync(string line, CancellationToken cancellationToken) =>
        CallAsync<DefectClass[]>(HttpMethod.Get, $"{LinePath(line)}/classes", null, $"reading the classes of line '{line}'", cancellationToken);

    /// <summary>Classifies the line's images that have regions under its promoted model (404 unknown line, 409 no promoted model).</summary>
    public Task<LineReclassification> ReclassifyAsync(string line, CancellationToken cancellationToken) =>
        CallAsync<LineReclassification>(HttpMethod.Post, $"{LinePath(line)}/reclassify", null, $"re-classifying line '{line}'", cancellationToken);

    public Task<TrainingStatus> StartTrainingAsync(string line, TrainingRequestBody request, CancellationToken cancellationToken) =>
        CallAsync<TrainingStatus>(HttpMethod.Post, $"{LinePath(line)}/training", request, $"starting discovery on line '{line}'", cancellationToken);

    public Task<TrainingStatus> GetTrainingAsync(string line, CancellationToken cancellationToken) =>
        CallAsync<TrainingStatus>(HttpMethod.Get, $"{LinePath(line)}/training", null, $"reading the training status of line '{line}'", cancellationToken);

    public Task<ModelVersion> PromoteAsync(string line, string version, CancellationToken cancellationToken) =>
        CallAsync<ModelVersion>(HttpMethod.Post, $"{LinePath(line)}/models/{Uri.EscapeDataString(version)}/promote", null, $"promoting model {version} of line '{line}'", cancellationToken);

    public Task<ImageResult> GetImageAsync(string line, string image, CancellationToken cancellationToken) =>
        CallAsync<ImageResult>(HttpMethod.Get, $"{LinePath(line)}/images/{Uri.EscapeDataString(image)}", null, $"reading image '{image}' of line '{line}'", cancellationToken);

    /// <summary>The problem details' <c>detail</c>, or the status line when the body is not problem JSON.</summary>
    public static async Task<string> ProblemOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            if (JsonSerializer.Deserialize<ProblemAnswer>(body, ApiJson.Options) is { Detail: { } detail })
            {
                return detail;
            }
        }
        catch (JsonException)
        {
            // Not problem JSON (an empty body, a proxy's page): fall back to the status line.
        }

        return $"{(int)response.StatusCode} {response.ReasonPhrase}";
    }

    private static string LinePath(string line) => $"api/lines/{Uri.EscapeDataString(line)}";

    private async Task<T> CallAsync<T>(HttpMethod method, string path, object? body, string what, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(method, path)
        {
            Content = body is null ? null : JsonContent.Create(body, body.GetType(), options: ApiJson.Options),
        }, cancellationToken);
        return await ReadAsync<T>(response, what, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{what}: {(int)response.StatusCode} {await ProblemOfAsync(response, cancellationToken)}", null, response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken)
            ?? throw new HttpRequestException($"{what}: the answer was empty", null, response.StatusCode);
    }

    /// <summary>The part of an RFC 7807 problem the client reports.</summary>
    private sealed record ProblemAnswer(string? Detail);

    private static bool IsTransient(HttpRequestException failure) =>
        failure.HttpRequestError is HttpRequestError.ConnectionError
        || failure.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.ConnectionReset };
}
