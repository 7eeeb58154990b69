using System.Net.Http.Json;
using AnomalyNcd.Contracts.Images;

namespace AnomalyNcd.Cli.Api;

/// <summary>What the API answered for one image (after retries); <see cref="File"/> is the upload's <see cref="ImageUpload.Source"/>.</summary>
internal sealed record IngestOutcome(string File, int Status, string? Problem)
{
    public bool Acknowledged => Status is 200 or 201;
}

/// <summary>
/// One image to upload, in memory: <paramref name="Source"/> names it in outcomes (a file path, or the id), the
/// optional map and ground truth (evaluation metadata) go with it.
/// </summary>
/// <paramref name="Normal"/> sends it as a normal (defect-free) image for the line's detector to learn from.
internal sealed record ImageUpload(string Source, string Id, string FileName, byte[] Image, string? MapName = null, byte[]? Map = null, string? GroundTruth = null, bool Normal = false)
{
    /// <summary>Reads an image file (and its map); the id is the image's file stem, as the API defaults it.</summary>
    public static async Task<ImageUpload> ReadAsync(string imageFile, string? mapFile, string? groundTruth, CancellationToken cancellationToken) => new(
        imageFile,
        Path.GetFileNameWithoutExtension(imageFile),
        Path.GetFileName(imageFile),
        await File.ReadAllBytesAsync(imageFile, cancellationToken),
        mapFile is null ? null : Path.GetFileName(mapFile),
        mapFile is null ? null : await File.ReadAllBytesAsync(mapFile, cancellationToken),
        groundTruth);
}

/// <summary>Image uploads: <c>POST …/images</c> one at a time and <c>POST …/images/batch</c>.</summary>
internal sealed partial class AnomalyNcdApiClient
{
    public async Task<IngestOutcome> UploadAsync(string line, string imageFile, string? mapFile, string? groundTruth, CancellationToken cancellationToken, bool normal = false) =>
        await UploadAsync(line, await ImageUpload.ReadAsync(imageFile, mapFile, groundTruth, cancellationToken) with { Normal = normal }, cancellationToken);

    /// <summary>Uploads one image without reading the answer's body when it is acknowledged (the bench measures just this).</summary>
    public async Task<IngestOutcome> UploadAsync(string line, ImageUpload upload, CancellationToken cancellationToken)
    {
        using var response = await PostImageAsync(line, upload, cancellationToken);
        var status = (int)response.StatusCode;
        return new IngestOutcome(upload.Source, status, response.IsSuccessStatusCode ? null : await ProblemOfAsync(response, cancellationToken));
    }

    /// <summary>Like <see cref="UploadAsync(string, ImageUpload, CancellationToken)"/>, also returning the image result the API answered (null when refused).</summary>
    public async Task<(IngestOutcome Outcome, ImageResult? Result)> UploadForResultAsync(string line, string imageFile, string? mapFile, string? groundTruth, CancellationToken cancellationToken)
    {
        var upload = await ImageUpload.ReadAsync(imageFile, mapFile, groundTruth, cancellationToken);
        using var response = await PostImageAsync(line, upload, cancellationToken);
        var status = (int)response.StatusCode;
        return response.IsSuccessStatusCode
            ? (new IngestOutcome(upload.Source, status, null), await response.Content.ReadFromJsonAsync<ImageResult>(ApiJson.Options, cancellationToken))
            : (new IngestOutcome(upload.Source, status, await ProblemOfAsync(response, cancellationToken)), null);
    }

    public async Task<IngestOutcome[]> UploadBatchAsync(string line, IReadOnlyList<(string Image, string? Map, string? GroundTruth)> files, CancellationToken cancellationToken)
    {
        var uploads = new List<ImageUpload>(files.Count);
        foreach (var (image, map, truth) in files)
        {
            uploads.Add(await ImageUpload.ReadAsync(image, map, truth, cancellationToken));
        }

        return [.. (await UploadBatchAsync(line, uploads, cancellationToken)).Select(item => item.Outcome)];
    }

    /// <summary>
    /// Uploads several images in one request and returns one outcome (with the image result when acknowledged) per
    /// image, in order. Maps must be given for all images or none (the API pairs them by order); a missing ground truth
    /// is sent empty. A refused request (not a refused image) gives every image that request's status and problem.
    /// </summary>
    /// <paramref name="readResults"/> false reads only each image's status and problem: the bench's load generator
    /// shares the silo's process and cores, and materialising every image result there cost it about 0.1 ms per image.
    public async Task<(IngestOutcome Outcome, ImageResult? Result)[]> UploadBatchAsync(string line, IReadOnlyList<ImageUpload> uploads, CancellationToken cancellationToken, bool readResults = true)
    {
        if (uploads.Any(u => u.Map is null) && uploads.Any(u => u.Map is not null))
        {
            throw new ArgumentException("a batch needs a map for every image or for none", nameof(uploads));
        }

        var withTruths = uploads.Any(u => u.GroundTruth is not null);
        using var response = await SendAsync(() =>
        {
            var form = new MultipartFormDataContent();
            foreach (var upload in uploads)
            {
                form.Add(new ByteArrayContent(upload.Image), "image", upload.FileName);
                form.Add(new StringContent(upload.Id), "id");
                if (upload.Map is not null)
                {
                    form.Add(new ByteArrayContent(upload.Map), "map", upload.MapName ?? upload.FileName);
                }

                if (withTruths)
                {
                    form.Add(new StringContent(upload.GroundTruth ?? string.Empty), "groundTruth");
                }
            }

            return new HttpRequestMessage(HttpMethod.Post, $"{LinePath(line)}/images/batch") { Content = form };
        }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await ProblemOfAsync(response, cancellationToken);
            return [.. uploads.Select(u => (new IngestOutcome(u.Source, (int)response.StatusCode, problem), (ImageResult?)null))];
        }

        var items = readResults
            ? (await ReadBatchAsync<BatchAnswer>(response, cancellationToken)).Items.Select(item => (item.Status, item.Problem, item.Image)).ToArray()
            : (await ReadBatchAsync<BatchStatuses>(response, cancellationToken)).Items.Select(item => (item.Status, item.Problem, Image: (ImageResult?)null)).ToArray();
        if (items.Length != uploads.Count)
        {
            throw new HttpRequestException($"the batch answer has {items.Length} entries for {uploads.Count} images");
        }

        return [.. items.Select((item, i) => (
            new IngestOutcome(uploads[i].Source, item.Status, item.Status is 200 or 201 ? null : item.Problem?.Detail ?? $"{item.Status}"),
            item.Image))];
    }

    private static async Task<T> ReadBatchAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken) ?? throw new HttpRequestException("the batch answer was empty");

    private Task<HttpResponseMessage> PostImageAsync(string line, ImageUpload upload, CancellationToken cancellationToken) =>
        SendAsync(() =>
        {
            var form = new MultipartFormDataContent
            {
                { new ByteArrayContent(upload.Image), "image", upload.FileName },
                { new StringContent(upload.Id), "id" },
            };
            if (upload.Map is not null)
            {
                form.Add(new ByteArrayContent(upload.Map), "map", upload.MapName ?? upload.FileName);
            }

            if (upload.GroundTruth is not null)
            {
                form.Add(new StringContent(upload.GroundTruth), "groundTruth");
            }

            if (upload.Normal)
            {
                form.Add(new StringContent("true"), "normal");
            }

            return new HttpRequestMessage(HttpMethod.Post, $"{LinePath(line)}/images") { Content = form };
        }, cancellationToken);

    /// <summary>The part of the API's batch answer (Silo's ImageBatchResult) the client reads: per image its status, result or problem.</summary>
    private sealed record BatchAnswer(BatchItem[] Items);

    private sealed record BatchItem(string Id, int Status, ImageResult? Image, ProblemAnswer? Problem);

    /// <summary>The same answer read without the image results (their JSON is skipped, not materialised).</summary>
    private sealed record BatchStatuses(BatchStatus[] Items);

    private sealed record BatchStatus(string Id, int Status, ProblemAnswer? Problem);
}
