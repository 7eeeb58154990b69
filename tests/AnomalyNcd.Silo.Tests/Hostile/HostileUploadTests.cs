using System.Net;
using System.Text;
using System.Text.Json;
using AnomalyNcd.Core.Tests.Hostile;

namespace AnomalyNcd.Silo.Tests.Hostile;

/// <summary>
/// Issue 7, hostile-input corpus over HTTP: every hostile image, map and upload request gets its RFC 7807
/// problem with the documented status, stores nothing, changes nothing already stored, and the host still
/// answers a good request afterwards. Cases documented as accepted are stored under a safe name only.
/// </summary>
public sealed class HostileUploadTests(HostileHostFixture host) : IClassFixture<HostileHostFixture>
{
    private const string Images = $"/api/lines/{HostileHostFixture.Line}/images";

    public static TheoryData<string> ImageCases => HostileCorpus.Names(HostileEntry.Image);

    public static TheoryData<string> MapCases => HostileCorpus.Names(HostileEntry.Map);

    public static TheoryData<string> UploadCases => HostileCorpus.Names(HostileEntry.Upload);

    [Theory]
    [MemberData(nameof(ImageCases))]
    public Task UploadHostileImage_DocumentedProblemAndNothingStored(string name)
    {
        var hostile = HostileCorpus.Get(name);
        return CheckAsync(hostile, () => HostileHostFixture.Form(hostile.Content!(), hostile.FileName, id: name), hostile.Problem ?? "limit of 1000000 pixels", hostile.FileName);
    }

    [Theory]
    [MemberData(nameof(MapCases))]
    public Task UploadHostileMap_DocumentedProblemAndNothingStored(string name)
    {
        var hostile = HostileCorpus.Get(name);
        var expected = hostile.Problem ?? (hostile.Status == 422 ? "does not fit image" : null);
        return CheckAsync(hostile, () => HostileHostFixture.Form(HostileCorpus.GoodPng(), "part.png", hostile.Content!(), hostile.FileName, id: name), expected, hostile.FileName);
    }

    [Theory]
    [MemberData(nameof(UploadCases))]
    public Task UploadHostileRequest_DocumentedProblemAndNothingStored(string name)
    {
        var hostile = HostileCorpus.Get(name);
        var image = hostile.Content!();
        HttpContent Form(string? id = null, string? fileName = null) => HostileHostFixture.Form(image, fileName ?? hostile.FileName, id: id);
        var path = Images;
        Func<HttpContent> request = name switch
        {
            "upload-id-traversal" or "upload-id-absolute-path" or "upload-id-300-chars" => () => Form(id: hostile.Problem),
            "upload-id-not-utf8" => () =>
            {
                var form = HostileHostFixture.Form(image, "part.png");
                form.Add(new ByteArrayContent([0xFF, 0xFE, (byte)'x', 0xC3]), "id");
                return form;
            },
            "upload-name-300-chars" or "upload-name-traversal" or "upload-name-absolute" => () => Form(),
            "upload-ground-truth-traversal" => () =>
            {
                var form = HostileHostFixture.Form(image, "part.png", id: "gt");
                form.Add(new StringContent("../../classes"), "groundTruth");
                return form;
            },
            "upload-no-image-part" => () => new MultipartFormDataContent { { new ByteArrayContent(image), "file", "part.png" } },
            "upload-not-multipart" => () => new StringContent("{\"image\":\"part.png\"}", Encoding.UTF8, "application/json"),
            "upload-duplicate-id-other-bytes" => () => HostileHostFixture.Form(
                HostileCorpus.Encode(".png", new OpenCvSharp.Mat(64, 64, OpenCvSharp.MatType.CV_8UC1, OpenCvSharp.Scalar.All(99))), "seed.png", id: HostileHostFixture.SeedId),
            "upload-over-byte-limit" => () => HostileHostFixture.Form([.. image, .. new byte[HostileHostFixture.UploadLimit]], hostile.FileName),
            "upload-map-not-a-map-type" => () => HostileHostFixture.Form(HostileCorpus.GoodPng(), "part.png", image, hostile.FileName, id: "typed"),
            "upload-unknown-line" or "upload-line-traversal" => () => Form(id: "elsewhere"),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no request for this case"),
        };
        if (name == "upload-unknown-line")
        {
            path = "/api/lines/no-such-line/images";
        }
        else if (name == "upload-line-traversal")
        {
            path = "/api/lines/..%2F..%2Fetc/images";
        }

        return CheckAsync(hostile, request, hostile.Problem, null, path);
    }

    private async Task CheckAsync(HostileCase hostile, Func<HttpContent> request, string? expected, string? namedFile, string path = Images)
    {
        var before = DataFolderSnapshot.Take(host.Options.DataFolder);
        var outsideBefore = Directory.GetFileSystemEntries(host.Outside);

        // Expect: 100-continue lets the server refuse an oversized body before the client sends it
        // (otherwise the early 413 races the upload and the client may see a broken pipe instead).
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = request() };
        message.Headers.ExpectContinue = true;
        using var response = await host.Client.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == hostile.Status, $"{hostile.Name}: expected {hostile.Status}, got {(int)response.StatusCode}: {body}");
        var after = DataFolderSnapshot.Take(host.Options.DataFolder);
        DataFolderSnapshot.AssertKept(before, after);
        Assert.Equal(outsideBefore, Directory.GetFileSystemEntries(host.Outside));
        Assert.Empty(Directory.EnumerateFileSystemEntries(host.Options.UploadFolder));
        if (hostile.Status >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var json = JsonDocument.Parse(body);
            Assert.True(json.RootElement.TryGetProperty("status", out var status) && status.GetInt32() == hostile.Status, body);
            // Routing answers a non-multipart body itself (the endpoint accepts only forms): a problem with a title and no detail.
            var detail = json.RootElement.TryGetProperty("detail", out var detailElement)
                ? detailElement.GetString() ?? string.Empty
                : json.RootElement.GetProperty("title").GetString() ?? string.Empty;
            Assert.Contains(expected!, detail);
            if (namedFile is not null)
            {
                Assert.Contains(namedFile, detail);
            }

            Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        }
        else
        {
            // Accepted: stored by hash under the artefact folder only, never under the name that arrived.
            Assert.All(after.Keys.Except(before.Keys), file => Assert.StartsWith("artefacts" + Path.DirectorySeparatorChar, file));
            Assert.False(File.Exists("/tmp/absolute.png") && File.GetLastWriteTimeUtc("/tmp/absolute.png") > DateTime.UtcNow.AddMinutes(-1), "an upload wrote /tmp/absolute.png");
        }

        // The host survived: a later good request is answered and the seed image is as it was.
        using var seed = await host.Client.GetAsync($"{Images}/{HostileHostFixture.SeedId}");
        Assert.Equal(HttpStatusCode.OK, seed.StatusCode);
    }
}
