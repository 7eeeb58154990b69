using System.Net.Http.Json;
using System.Text.Json;

namespace AnomalyNcd.Cli.Api;

/// <summary>
/// The calls the demo makes beyond uploads (training, promotion, catalogue), over the same HTTP client and
/// retry path as <c>ingest</c> (<see cref="IngestClient.SendAsync"/>), so the demo drives the API a user would.
/// </summary>
internal sealed class DemoApi(IngestClient client)
{
    public IngestClient Uploads => client;

    public Task<JsonElement> StartTrainingAsync(string line, int classCount, int epochs, int seed, CancellationToken cancellationToken) =>
        SendForJsonAsync(HttpMethod.Post, $"api/lines/{Uri.EscapeDataString(line)}/training", new { classCount, epochs, seed, requestedBy = "demo" }, $"starting discovery on line '{line}'", cancellationToken);

    public Task<JsonElement> GetTrainingAsync(string line, CancellationToken cancellationToken) =>
        SendForJsonAsync(HttpMethod.Get, $"api/lines/{Uri.EscapeDataString(line)}/training", null, $"reading the training status of line '{line}'", cancellationToken);

    public Task<JsonElement> PromoteAsync(string line, string version, CancellationToken cancellationToken) =>
        SendForJsonAsync(HttpMethod.Post, $"api/lines/{Uri.EscapeDataString(line)}/models/{Uri.EscapeDataString(version)}/promote", null, $"promoting model {version} of line '{line}'", cancellationToken);

    public Task<JsonElement> GetLineAsync(string line, CancellationToken cancellationToken) =>
        SendForJsonAsync(HttpMethod.Get, $"api/lines/{Uri.EscapeDataString(line)}", null, $"reading line '{line}'", cancellationToken);

    public Task<JsonElement> GetClassesAsync(string line, CancellationToken cancellationToken) =>
        SendForJsonAsync(HttpMethod.Get, $"api/lines/{Uri.EscapeDataString(line)}/classes", null, $"reading the classes of line '{line}'", cancellationToken);

    public Task<JsonElement> GetImageAsync(string line, string image, CancellationToken cancellationToken) =>
        SendForJsonAsync(HttpMethod.Get, $"api/lines/{Uri.EscapeDataString(line)}/images/{Uri.EscapeDataString(image)}", null, $"reading image '{image}' of line '{line}'", cancellationToken);

    private async Task<JsonElement> SendForJsonAsync(HttpMethod method, string path, object? body, string what, CancellationToken cancellationToken)
    {
        using var response = await client.SendAsync(() => new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{what}: {(int)response.StatusCode} {await IngestClient.ProblemOfAsync(response, cancellationToken)}", null, response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }
}
