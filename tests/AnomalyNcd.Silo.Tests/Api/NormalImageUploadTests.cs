using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AnomalyNcd.Silo.Tests.Api;

/// <summary>Uploads marked <c>normal=true</c>: kept as normal images of the line for its detector, not processed for regions.</summary>
public sealed class NormalImageUploadTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task NormalUpload_KeptAsNormalImage_NotListedAmongTheLinesImages()
    {
        await host.CreateLineAsync("normal-line");

        var first = await host.Client.PostAsync("/api/lines/normal-line/images", Normal(TestImages.NoisyPng(64, 64, 1), "good-1.png"));
        var again = await host.Client.PostAsync("/api/lines/normal-line/images", Normal(TestImages.NoisyPng(64, 64, 1), "good-1.png"));
        var second = await host.Client.PostAsync("/api/lines/normal-line/images", Normal(TestImages.NoisyPng(64, 64, 2), "good-2.png"));

        var kept = await AssertKeptAsync(first, HttpStatusCode.Created);
        Assert.Equal("good-1", kept.GetProperty("imageId").GetString());
        Assert.True(kept.GetProperty("created").GetBoolean());
        Assert.Equal(1, kept.GetProperty("normalImages").GetInt32());
        Assert.False((await AssertKeptAsync(again, HttpStatusCode.OK)).GetProperty("created").GetBoolean());
        Assert.Equal(2, (await AssertKeptAsync(second, HttpStatusCode.Created)).GetProperty("normalImages").GetInt32());
        var listed = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/normal-line/images?skip=0&take=10");
        Assert.Equal(0, listed.GetArrayLength());
    }

    [Fact]
    public async Task NormalUpload_WithMapOrBadFlagOrInABatch_RefusedWithProblemAndNothingStored()
    {
        await host.CreateLineAsync("normal-bad");
        var before = host.ArtefactFiles();

        var withMap = ApiHostFixture.Upload(TestImages.NoisyPng(64, 64, 3), "n.png", TestImages.MapPng(64, 64));
        withMap.Add(new StringContent("true"), "normal");
        var badFlag = ApiHostFixture.Upload(TestImages.NoisyPng(64, 64, 3), "n.png");
        badFlag.Add(new StringContent("yes"), "normal");
        var batch = Normal(TestImages.NoisyPng(64, 64, 3), "n.png");

        Assert.Contains("without a map", await ApiHostFixture.AssertProblemAsync(await host.Client.PostAsync("/api/lines/normal-bad/images", withMap), 400));
        Assert.Contains("'normal'", await ApiHostFixture.AssertProblemAsync(await host.Client.PostAsync("/api/lines/normal-bad/images", badFlag), 400));
        Assert.Contains("one per request", await ApiHostFixture.AssertProblemAsync(await host.Client.PostAsync("/api/lines/normal-bad/images/batch", batch), 400));
        Assert.Equal(before, host.ArtefactFiles());
    }

    [Fact]
    public async Task NormalUpload_SameIdOtherBytes_Conflict()
    {
        await host.CreateLineAsync("normal-conflict");
        await AssertKeptAsync(await host.Client.PostAsync("/api/lines/normal-conflict/images", Normal(TestImages.NoisyPng(48, 48, 4), "a.png")), HttpStatusCode.Created);

        var other = await host.Client.PostAsync("/api/lines/normal-conflict/images", Normal(TestImages.NoisyPng(48, 48, 5), "a.png"));

        Assert.Contains("already exists with other content", await ApiHostFixture.AssertProblemAsync(other, 409));
    }

    [Fact]
    public async Task GroundTruthTheLineNamesNormal_WithoutAMap_KeptAsNormal_WithAMapProcessed_InABatchPerImage()
    {
        var created = await host.Client.PostAsJsonAsync("/api/lines", new { id = "named-normal", calibrationMin = 0f, calibrationMax = 255f, normalGroundTruth = "good" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("good", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("settings").GetProperty("normalGroundTruth").GetString());

        // Single uploads: "good" without a map is a normal image; "good" with a map is an ordinary image; another
        // ground truth without a map needs the line's detector, which it has not learnt yet.
        var kept = await AssertKeptAsync(await host.Client.PostAsync("/api/lines/named-normal/images", Labelled(TestImages.NoisyPng(64, 64, 11), "g1.png", "good")), HttpStatusCode.Created);
        var mapped = Labelled(TestImages.NoisyPng(64, 64, 12), "g2.png", "good", TestImages.MapPng(64, 64));
        var processed = await host.Client.PostAsync("/api/lines/named-normal/images", mapped);
        var other = await host.Client.PostAsync("/api/lines/named-normal/images", Labelled(TestImages.NoisyPng(64, 64, 13), "s1.png", "scratch"));

        Assert.Equal(1, kept.GetProperty("normalImages").GetInt32());
        Assert.Equal(HttpStatusCode.Created, processed.StatusCode);
        Assert.Equal("good", (await processed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("groundTruthClass").GetString());
        Assert.Contains("learn a detector first", await ApiHostFixture.AssertProblemAsync(other, 409));

        // A batch: each image answered as its single upload would be.
        var batch = new MultipartFormDataContent
        {
            { new ByteArrayContent(TestImages.NoisyPng(64, 64, 14)), "image", "g3.png" },
            { new ByteArrayContent(TestImages.NoisyPng(64, 64, 15)), "image", "s2.png" },
            { new StringContent("good"), "groundTruth" },
            { new StringContent("scratch"), "groundTruth" },
        };
        var answer = await host.Client.PostAsync("/api/lines/named-normal/images/batch", batch);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var items = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items");
        Assert.Equal(201, items[0].GetProperty("status").GetInt32());
        Assert.Equal("normal", items[0].GetProperty("normal").GetProperty("keptAs").GetString());
        Assert.Equal(2, items[0].GetProperty("normal").GetProperty("normalImages").GetInt32());
        Assert.Equal(409, items[1].GetProperty("status").GetInt32());

        // Only the mapped "good" image is among the line's images; the two normal ones are the detector's.
        var listed = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/named-normal/images?skip=0&take=10");
        Assert.Equal(["g2"], listed.EnumerateArray().Select(image => image.GetProperty("imageId").GetString()));
        var detectors = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/named-normal/detectors");
        Assert.Equal(2, detectors.GetProperty("normalImages").GetInt32());
    }

    [Fact]
    public async Task NormalGroundTruthThatIsNoClassName_Refused422LikeOtherBadSettings()
    {
        var created = await host.Client.PostAsJsonAsync("/api/lines", new { id = "named-bad", normalGroundTruth = "no good" });

        Assert.Contains("normalGroundTruth", await ApiHostFixture.AssertProblemAsync(created, 422));
    }

    private static MultipartFormDataContent Labelled(byte[] image, string name, string groundTruth, byte[]? map = null)
    {
        var form = ApiHostFixture.Upload(image, name, map);
        form.Add(new StringContent(groundTruth), "groundTruth");
        return form;
    }

    public static MultipartFormDataContent Normal(byte[] image, string name)
    {
        var form = ApiHostFixture.Upload(image, name);
        form.Add(new StringContent("true"), "normal");
        return form;
    }

    private static async Task<JsonElement> AssertKeptAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        var kept = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal("normal", kept.GetProperty("keptAs").GetString());
        return kept;
    }
}
