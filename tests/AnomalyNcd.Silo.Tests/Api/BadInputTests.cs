using System.Net.Http.Json;

namespace AnomalyNcd.Silo.Tests.Api;

/// <summary>
/// Issue 5, acceptance 7: unknown line, non-image, oversized upload, map of the wrong size, duplicate id —
/// each answered with its status and RFC 7807 problem details naming the problem, and nothing stored.
/// </summary>
public sealed class BadInputTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task UploadToUnknownLine_Returns404AndStoresNothing()
    {
        var before = host.ArtefactFiles();

        var response = await host.Client.PostAsync("/api/lines/no-such-line/images", ApiHostFixture.Upload(TestImages.SurfacePng(64, 64, 1), "a.png"));

        var detail = await ApiHostFixture.AssertProblemAsync(response, 404);
        Assert.Contains("no-such-line", detail);
        Assert.Equal(before, host.ArtefactFiles());
    }

    [Fact]
    public async Task UploadNonImage_Returns415NamingTheFileAndStoresNothing()
    {
        await host.CreateLineAsync("bad-type");
        var before = host.ArtefactFiles();

        var text = await host.Client.PostAsync("/api/lines/bad-type/images", ApiHostFixture.Upload("just some text"u8.ToArray(), "notes.txt"));
        var fakePng = await host.Client.PostAsync("/api/lines/bad-type/images", ApiHostFixture.Upload("not really a png"u8.ToArray(), "fake.png"));

        Assert.Contains("notes.txt", await ApiHostFixture.AssertProblemAsync(text, 415));
        Assert.Contains("fake.png", await ApiHostFixture.AssertProblemAsync(fakePng, 415));
        Assert.Equal(before, host.ArtefactFiles());
        Assert.Empty(Directory.EnumerateFileSystemEntries(host.Options.UploadFolder));
    }

    [Fact]
    public async Task UploadOverTheLimit_Returns413AndStoresNothing()
    {
        await host.CreateLineAsync("too-big");
        var before = host.ArtefactFiles();
        var oversized = new byte[ApiHostFixture.UploadLimit + 1024];
        TestImages.SurfacePng(64, 64, 1).CopyTo(oversized, 0);

        // Expect: 100-continue, as real clients send for large bodies: the server answers 413 before the body
        // is sent, instead of racing the client's write (which then fails with a broken pipe).
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/lines/too-big/images") { Content = ApiHostFixture.Upload(oversized, "huge.png") };
        message.Headers.ExpectContinue = true;
        var response = await host.Client.SendAsync(message);

        var detail = await ApiHostFixture.AssertProblemAsync(response, 413);
        Assert.Contains(ApiHostFixture.UploadLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), detail);
        Assert.Equal(before, host.ArtefactFiles());
    }

    [Fact]
    public async Task UploadMapOfTheWrongSize_Returns422NamingTheMapAndStoresNothing()
    {
        await host.CreateLineAsync("wrong-map");
        var before = host.ArtefactFiles();

        var response = await host.Client.PostAsync(
            "/api/lines/wrong-map/images",
            ApiHostFixture.Upload(TestImages.SurfacePng(128, 128, 1), "part.png", TestImages.MapPng(100, 40), "part-map.png"));

        var detail = await ApiHostFixture.AssertProblemAsync(response, 422);
        Assert.Contains("part-map.png", detail);
        Assert.Contains("100x40", detail);
        Assert.Equal(before, host.ArtefactFiles());
    }

    [Fact]
    public async Task UploadOtherBytesUnderAnExistingId_Returns409AndStoresNothing()
    {
        await host.CreateLineAsync("duplicate");
        var first = await host.Client.PostAsync("/api/lines/duplicate/images", ApiHostFixture.Upload(TestImages.SurfacePng(64, 64, 1), "dup.png", TestImages.MapPng(64, 64)));
        Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());
        var before = host.ArtefactFiles();

        var second = await host.Client.PostAsync("/api/lines/duplicate/images", ApiHostFixture.Upload(TestImages.SurfacePng(64, 64, 2), "dup.png", TestImages.MapPng(64, 64)));

        var detail = await ApiHostFixture.AssertProblemAsync(second, 409);
        Assert.Contains("dup", detail);
        Assert.Equal(before, host.ArtefactFiles());
    }

    [Fact]
    public async Task MalformedIdsAndHashes_Return400()
    {
        var badLine = await host.Client.PostAsJsonAsync("/api/lines", new { id = "has space" });
        var badHash = await host.Client.GetAsync("/api/artefacts/not-a-hash");
        var badPage = await host.Client.GetAsync("/api/lines/any/images?take=0");

        Assert.Contains("has space", await ApiHostFixture.AssertProblemAsync(badLine, 400));
        Assert.Contains("not-a-hash", await ApiHostFixture.AssertProblemAsync(badHash, 400));
        Assert.Contains("take", await ApiHostFixture.AssertProblemAsync(badPage, 400));
    }

    [Fact]
    public async Task UnknownLineAndImage_Return404Problems()
    {
        var line = await host.Client.GetAsync("/api/lines/missing-line");
        var image = await host.Client.GetAsync("/api/lines/missing-line/images/missing-image");
        var training = await host.Client.PostAsJsonAsync("/api/lines/missing-line/training", new { epochs = 1 });

        Assert.Contains("missing-line", await ApiHostFixture.AssertProblemAsync(line, 404));
        Assert.Contains("missing-image", await ApiHostFixture.AssertProblemAsync(image, 404));
        Assert.Contains("missing-line", await ApiHostFixture.AssertProblemAsync(training, 404));
    }

    [Fact]
    public async Task BadSettingsAndUnknownModel_Return422And404Problems()
    {
        await host.CreateLineAsync("settings-line");

        var inverted = await host.Client.PutAsJsonAsync("/api/lines/settings-line/settings", new { calibrationMin = 5f, calibrationMax = 1f });
        var promote = await host.Client.PostAsync("/api/lines/settings-line/models/v-none/promote", null);

        Assert.Contains("calibration", await ApiHostFixture.AssertProblemAsync(inverted, 422));
        Assert.Contains("v-none", await ApiHostFixture.AssertProblemAsync(promote, 404));
    }
}
