using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AnomalyNcd.Silo.Tests.Api;

/// <summary>
/// <c>POST /api/lines/{line}/images/batch</c>: several images per request, each validated, stored and processed as a
/// single upload would be, one answer entry per image; refused images store nothing and do not stop the others.
/// </summary>
public sealed class BatchUploadTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task UploadBatch_ValidImages_AllCreatedListedAndCountedByTheLine()
    {
        await host.CreateLineAsync("batch-ok");
        var form = Batch(("b-1", TestImages.SurfacePng(96, 96, 11), TestImages.MapPng(96, 96)), ("b-2", TestImages.SurfacePng(96, 96, 12), TestImages.MapPng(96, 96)), ("b-3", TestImages.SurfacePng(96, 96, 13), TestImages.MapPng(96, 96)));

        var response = await host.Client.PostAsync("/api/lines/batch-ok/images/batch", form);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(3, json.RootElement.GetProperty("created").GetInt32());
        var items = json.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["b-1", "b-2", "b-3"], items.Select(i => i.GetProperty("id").GetString()));
        Assert.All(items, i => Assert.Equal(201, i.GetProperty("status").GetInt32()));
        Assert.All(items, i => Assert.Equal(96, i.GetProperty("image").GetProperty("width").GetInt32()));
        var line = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/batch-ok");
        Assert.Equal(3, line.GetProperty("imageCount").GetInt32());
        var listed = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/batch-ok/images?skip=0&take=10");
        Assert.Equal(["b-1", "b-2", "b-3"], listed.EnumerateArray().Select(i => i.GetProperty("imageId").GetString()).Order(StringComparer.Ordinal));
        var regions = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/batch-ok/images/b-1/regions");
        Assert.Equal(items[0].GetProperty("image").GetProperty("regions").GetArrayLength(), regions.GetArrayLength());
    }

    [Fact]
    public async Task UploadBatch_MixedItems_RefusesOnlyTheBadOnesAndStoresNothingForThem()
    {
        await host.CreateLineAsync("batch-mixed");
        var stored = await host.Client.PostAsync("/api/lines/batch-mixed/images", ApiHostFixture.Upload(TestImages.SurfacePng(64, 64, 21), "x.png", TestImages.MapPng(64, 64), id: "taken"));
        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        var before = host.ArtefactFiles();
        var good = TestImages.SurfacePng(64, 64, 22);
        var refused = new[] { TestImages.SurfacePng(64, 64, 23), TestImages.SurfacePng(64, 64, 24), "just text"u8.ToArray(), TestImages.SurfacePng(64, 64, 25) };
        var form = new MultipartFormDataContent();
        AddImage(form, "good", good, TestImages.MapPng(64, 64));
        AddImage(form, "wrong-map", refused[0], TestImages.MapPng(50, 20));
        AddImage(form, "taken", refused[1], TestImages.MapPng(64, 64));
        AddImage(form, "text", refused[2], TestImages.MapPng(64, 64), imageName: "notes.txt");
        AddImage(form, "good", refused[3], TestImages.MapPng(64, 64));

        var response = await host.Client.PostAsync("/api/lines/batch-mixed/images/batch", form);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        var statuses = json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("status").GetInt32()).ToArray();
        Assert.Equal([201, 422, 409, 415, 409], statuses);
        var problems = json.RootElement.GetProperty("items").EnumerateArray().Skip(1).Select(i => i.GetProperty("problem").GetProperty("detail").GetString()).ToArray();
        Assert.Contains("50x20", problems[0]);
        Assert.Contains("taken", problems[1]);
        Assert.Contains("notes.txt", problems[2]);
        Assert.Contains("more than once", problems[3]);
        Assert.Equal(1, json.RootElement.GetProperty("created").GetInt32());
        Assert.Equal(4, json.RootElement.GetProperty("refused").GetInt32());
        // The artefact store names files by content hash: the good image is there, no refused image is.
        var added = string.Join("\n", host.ArtefactFiles().Except(before));
        Assert.Contains(Sha256(good), added);
        Assert.All(refused, bytes => Assert.DoesNotContain(Sha256(bytes), added));
        var line = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/batch-mixed");
        Assert.Equal(2, line.GetProperty("imageCount").GetInt32());
    }

    [Fact]
    public async Task UploadBatch_SentAgain_AnswersAlreadyStoredAndCountsOnce()
    {
        await host.CreateLineAsync("batch-again");
        var images = new[] { TestImages.SurfacePng(64, 64, 31), TestImages.SurfacePng(64, 64, 32) };

        var first = await host.Client.PostAsync("/api/lines/batch-again/images/batch", Batch(("r-1", images[0], TestImages.MapPng(64, 64)), ("r-2", images[1], TestImages.MapPng(64, 64))));
        var second = await host.Client.PostAsync("/api/lines/batch-again/images/batch", Batch(("r-1", images[0], TestImages.MapPng(64, 64)), ("r-2", images[1], TestImages.MapPng(64, 64))));

        var firstJson = await first.Content.ReadFromJsonAsync<JsonElement>();
        var secondJson = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, firstJson.GetProperty("created").GetInt32());
        Assert.Equal(2, secondJson.GetProperty("alreadyStored").GetInt32());
        Assert.All(secondJson.GetProperty("items").EnumerateArray(), i => Assert.Equal(200, i.GetProperty("status").GetInt32()));
        var line = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/batch-again");
        Assert.Equal(2, line.GetProperty("imageCount").GetInt32());
    }

    [Fact]
    public async Task UploadBatch_MalformedForms_Return400Or404ProblemsAndStoreNothing()
    {
        await host.CreateLineAsync("batch-bad");
        var before = host.ArtefactFiles();
        var mismatched = new MultipartFormDataContent
        {
            { new ByteArrayContent(TestImages.SurfacePng(64, 64, 41)), "image", "a.png" },
            { new ByteArrayContent(TestImages.SurfacePng(64, 64, 42)), "image", "b.png" },
            { new ByteArrayContent(TestImages.MapPng(64, 64)), "map", "a-map.png" },
        };
        var tooMany = new MultipartFormDataContent();
        for (var i = 0; i <= host.Options.MaxBatchImages; i++)
        {
            tooMany.Add(new ByteArrayContent([1, 2, 3]), "image", $"{i}.png");
        }

        var noImages = await host.Client.PostAsync("/api/lines/batch-bad/images/batch", new MultipartFormDataContent { { new StringContent("x"), "id" } });
        var wrongCounts = await host.Client.PostAsync("/api/lines/batch-bad/images/batch", mismatched);
        var overLimit = await host.Client.PostAsync("/api/lines/batch-bad/images/batch", tooMany);
        var unknownLine = await host.Client.PostAsync("/api/lines/no-such-batch-line/images/batch", Batch(("u", TestImages.SurfacePng(64, 64, 43), TestImages.MapPng(64, 64))));

        Assert.Contains("'image'", await ApiHostFixture.AssertProblemAsync(noImages, 400));
        Assert.Contains("1 'map'", await ApiHostFixture.AssertProblemAsync(wrongCounts, 400));
        Assert.Contains($"at most {host.Options.MaxBatchImages}", await ApiHostFixture.AssertProblemAsync(overLimit, 400));
        Assert.Contains("no-such-batch-line", await ApiHostFixture.AssertProblemAsync(unknownLine, 404));
        Assert.Equal(before, host.ArtefactFiles());
    }

    /// <summary>How the artefact store names a file: its SHA-256, the first two hex digits as a folder.</summary>
    private static string Sha256(byte[] bytes)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        return Path.Combine(hash[..2], hash[2..]);
    }

    private static MultipartFormDataContent Batch(params (string Id, byte[] Image, byte[] Map)[] uploads)
    {
        var form = new MultipartFormDataContent();
        foreach (var (id, image, map) in uploads)
        {
            AddImage(form, id, image, map);
        }

        return form;
    }

    /// <summary>Adds one image with its map and id; the parts pair up by order, so each call adds one of each.</summary>
    private static void AddImage(MultipartFormDataContent form, string id, byte[] image, byte[] map, string? imageName = null)
    {
        form.Add(new ByteArrayContent(image), "image", imageName ?? $"{id}.png");
        form.Add(new ByteArrayContent(map), "map", $"{id}-map.png");
        form.Add(new StringContent(id), "id");
    }
}
