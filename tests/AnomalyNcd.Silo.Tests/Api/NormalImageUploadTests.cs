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
