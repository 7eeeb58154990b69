using System.Net;
using System.Text;
using System.Text.Json;
using AnomalyNcd.Cli.Api;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Silo.Api;
using AnomalyNcd.Silo.Hosting;
using AnomalyNcd.Silo.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenCvSharp;

namespace AnomalyNcd.Cli.Tests.Api;

/// <summary>
/// The typed client, one test per call: against a real host (silo + API) in this process where the call's answer can
/// be produced there, otherwise against an answer recorded with that host's own JSON options.
/// </summary>
public sealed class AnomalyNcdApiClientTests(AnomalyNcdApiClientTests.Host host) : IClassFixture<AnomalyNcdApiClientTests.Host>
{
    [Fact]
    public void Options_SerialiseTheContractsExactlyAsTheServerDoes()
    {
        var status = new TrainingStatus("l", "job", TrainingState.Running, 2, 5, double.NaN, "epoch 2", null, null, [0.5, double.PositiveInfinity], DateTimeOffset.UnixEpoch, null);

        var ours = JsonSerializer.Serialize(status, ApiJson.Options);

        Assert.Equal(JsonSerializer.Serialize(status, host.ServerJson), ours);
        Assert.Contains("\"state\":\"Running\"", ours);
        Assert.Equal(status with { LossHistory = [] }, JsonSerializer.Deserialize<TrainingStatus>(ours, host.ServerJson)! with { LossHistory = [] });
    }

    [Fact]
    public async Task CreateLine_ThenGetLine_AnswerTheLineSummaryWithItsSettings()
    {
        var api = host.Client();

        var created = await api.CreateLineAsync("create-get", LineSettings.Empty with { CalibrationMin = 0, CalibrationMax = 250, MebinFloor = 12, Description = "d" }, default);
        var read = await api.GetLineAsync("create-get", default);

        Assert.Equal("create-get", created.LineId);
        Assert.NotNull(read);
        Assert.Equal(new LineSettings(0, 250, null, null, "d", 12), read.Settings);
        Assert.Equal(0, read.ImageCount);
        Assert.Null(read.PromotedModel);
    }

    [Fact]
    public async Task GetLine_UnknownLine_IsNull()
    {
        Assert.Null(await host.Client().GetLineAsync("no-such-line", default));
    }

    [Fact]
    public async Task CreateLine_AgainWithOtherSettings_ThrowsWithTheConflictStatus()
    {
        var api = host.Client();
        await api.CreateLineAsync("twice", LineSettings.Empty, default);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => api.CreateLineAsync("twice", LineSettings.Empty with { Description = "other" }, default));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.StartsWith("creating line 'twice': 409", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetCalibration_ChangesTheRangeAndKeepsTheOtherSettings()
    {
        var api = host.Client();
        var created = await api.CreateLineAsync("calibrated", LineSettings.Empty with { ClassCount = 4, Description = "kept" }, default);

        var updated = await api.SetCalibrationAsync(created, 1, 9, 30, default);

        Assert.Equal(new LineSettings(1, 9, 4, null, "kept", 30), updated.Settings);
        Assert.Equal(updated.Settings, (await api.GetLineAsync("calibrated", default))!.Settings);
    }

    [Fact]
    public async Task GetClasses_NewLine_IsAnEmptyCatalogue()
    {
        var api = host.Client();
        await api.CreateLineAsync("no-classes", LineSettings.Empty, default);

        Assert.Empty(await api.GetClassesAsync("no-classes", default));
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HttpRequestException>(() => api.GetClassesAsync("absent-line", default))).StatusCode);
    }

    [Fact]
    public async Task Upload_NewThenSameBytes_Answers201Then200()
    {
        var api = host.Client();
        await api.CreateLineAsync("single", LineSettings.Empty with { CalibrationMin = 0, CalibrationMax = 250 }, default);
        var (image, map) = host.WriteImage("single-0", 0);

        var first = await api.UploadAsync("single", image, map, null, default);
        var second = await api.UploadAsync("single", image, map, null, default);

        Assert.Equal(new IngestOutcome(image, 201, null), first);
        Assert.Equal(new IngestOutcome(image, 200, null), second);
    }

    [Fact]
    public async Task UploadForResult_AnswersTheTypedImageResult_AndGetImageReadsItBack()
    {
        var api = host.Client();
        await api.CreateLineAsync("typed", LineSettings.Empty with { CalibrationMin = 0, CalibrationMax = 250 }, default);
        var (image, map) = host.WriteImage("typed-0", 1);

        var (outcome, result) = await api.UploadForResultAsync("typed", image, map, "scratch", default);
        var read = await api.GetImageAsync("typed", "typed-0", default);

        Assert.True(outcome.Acknowledged);
        Assert.NotNull(result);
        Assert.Equal(("typed", "typed-0", 96, 96, "scratch"), (result.LineId, result.ImageId, result.Width, result.Height, result.GroundTruthClass));
        Assert.Equal(("typed-0", "scratch"), (read.ImageId, read.GroundTruthClass));
        Assert.True(Enum.IsDefined(read.Status));
    }

    [Fact]
    public async Task UploadBatch_AnswersOneOutcomePerImageInOrder_WithTheRefusedOnesProblem()
    {
        var api = host.Client();
        await api.CreateLineAsync("batched", LineSettings.Empty with { CalibrationMin = 0, CalibrationMax = 250 }, default);
        var (good, goodMap) = host.WriteImage("batched-0", 2);
        var broken = host.WriteFile("batched-1.png", "not an image");
        var brokenMap = host.WriteFile("batched-1-map.png", "not a map");

        var outcomes = await api.UploadBatchAsync("batched", [(good, goodMap, null), (broken, brokenMap, null)], default);

        Assert.Equal([good, broken], outcomes.Select(o => o.File));
        Assert.Equal(201, outcomes[0].Status);
        Assert.Null(outcomes[0].Problem);
        Assert.Equal(415, outcomes[1].Status);
        Assert.False(string.IsNullOrEmpty(outcomes[1].Problem));
    }

    [Fact]
    public async Task GetTraining_NewLine_IsIdle()
    {
        var api = host.Client();
        await api.CreateLineAsync("idle", LineSettings.Empty, default);

        var status = await api.GetTrainingAsync("idle", default);

        Assert.Equal(TrainingState.Idle, status.State);
        Assert.Empty(status.LossHistory);
    }

    [Fact]
    public async Task StartTraining_SendsTheBodyTheServerValidates()
    {
        var api = host.Client();
        await api.CreateLineAsync("train-body", LineSettings.Empty, default);

        // classCount 1 is only refused when the server read the camelCase body.
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => api.StartTrainingAsync("train-body", new TrainingRequestBody(1, 1, 0, "test"), default));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("classCount must be between 2", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartTraining_ReadsTheRecordedTrainingStatus()
    {
        var recorded = new TrainingStatus("l", "job-1", TrainingState.Running, 0, 3, 0, "starting", null, "silo", [], DateTimeOffset.UnixEpoch, null);
        using var stub = host.Recorded(HttpMethod.Post, "/api/lines/l/training", HttpStatusCode.Accepted, recorded);

        var status = await stub.Api.StartTrainingAsync("l", new TrainingRequestBody(3, 3, 1, "demo"), default);

        Assert.Equal(recorded, status with { LossHistory = recorded.LossHistory });
        Assert.Equal("{\"classCount\":3,\"epochs\":3,\"seed\":1,\"requestedBy\":\"demo\"}", stub.Body);
    }

    [Fact]
    public async Task Promote_ReadsTheRecordedModelVersion_AndAnUnknownVersionIsRefused()
    {
        var recorded = new ModelVersion("v1", "l", new ArtefactRef(new string('a', 64), "checkpoint", ".pt", 10), [new ModelClass(0, "c1", "scratch", true, 4)], 9, 0.5, null, double.NaN, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "demo");
        using var stub = host.Recorded(HttpMethod.Post, "/api/lines/l/models/v1/promote", HttpStatusCode.OK, recorded);
        var api = host.Client();
        await api.CreateLineAsync("promote", LineSettings.Empty, default);

        var model = await stub.Api.PromoteAsync("l", "v1", default);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => api.PromoteAsync("promote", "no-such-version", default));

        Assert.Equal(("v1", 9, 0.5, (double?)null, "c1"), (model.Version, model.RegionCount, model.Nmi, model.Ari, model.Classes[0].ClassId));
        Assert.True(double.IsNaN(model.F1!.Value));
        Assert.True(refused.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict, $"{refused.StatusCode}: {refused.Message}");
    }

    [Fact]
    public async Task Reclassify_ReadsTheRecordedAnswer()
    {
        using var stub = host.Recorded(HttpMethod.Post, "/api/lines/l/reclassify", HttpStatusCode.OK, new LineReclassification("v2", 7, 6, 1));

        var answer = await stub.Api.ReclassifyAsync("l", default);

        Assert.Equal(new LineReclassification("v2", 7, 6, 1), answer);
    }

    [Fact]
    public async Task Reclassify_WithoutPromotedModel_ThrowsWithTheConflictAndItsDetail()
    {
        using var stub = host.Recorded(HttpMethod.Post, "/api/lines/l/reclassify", HttpStatusCode.Conflict, new { status = 409, title = "Conflict", detail = "line 'l' has no promoted model" });

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => stub.Api.ReclassifyAsync("l", default));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("re-classifying line 'l': 409 line 'l' has no promoted model", refused.Message);
    }

    [Fact]
    public async Task ARefusalWithoutProblemJson_IsReportedByItsStatusLine()
    {
        using var stub = new RecordedServer(HttpMethod.Get, "/api/lines/l/classes", HttpStatusCode.BadGateway, "<html>proxy error</html>");

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => stub.Api.GetClassesAsync("l", default));

        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        Assert.Equal("reading the classes of line 'l': 502 502 Bad Gateway", refused.Message);
    }

    /// <summary>One host for the class (starting a silo takes seconds), with an operator key and a scratch folder.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private static readonly string Key = ApiKeyGrant.NewKey();
        private readonly TempFolder temp = TestData.NewTempFolder();
        private WebApplication? app;

        /// <summary>The JSON options the server's endpoints write with.</summary>
        public JsonSerializerOptions ServerJson => app!.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

        public async Task InitializeAsync()
        {
            app = await AnomalyNcdServer.BuildAsync(new AnomalyNcdServerOptions
            {
                DataFolder = temp.Combine("data"),
                HttpPort = 0,
                SiloPort = 0,
                GatewayPort = 0,
                Accelerator = "cpu",
                AllowCpuFallback = true,
                ApiKeys = [ApiKeyGrant.ForKey("client-test", ApiRoles.Operator, Key)],
            });
            await app.StartAsync();
        }

        public async Task DisposeAsync()
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }

            temp.Dispose();
        }

        internal AnomalyNcdApiClient Client()
        {
            var http = new HttpClient { BaseAddress = new Uri(app!.GetBoundUrl().TrimEnd('/') + "/") };
            http.DefaultRequestHeaders.Add("X-Api-Key", Key);
            return new AnomalyNcdApiClient(http, maxAttempts: 1);
        }

        /// <summary>A client whose only request must be <paramref name="method"/> <paramref name="path"/>, answered with <paramref name="answer"/> as the server would write it.</summary>
        public RecordedServer Recorded(HttpMethod method, string path, HttpStatusCode status, object answer) =>
            new(method, path, status, JsonSerializer.Serialize(answer, answer.GetType(), ServerJson));

        /// <summary>A 96² image with a dark spot at <paramref name="index"/> and its 8-bit map (0..250) with a bright disc there.</summary>
        public (string Image, string Map) WriteImage(string name, int index)
        {
            var folder = temp.Combine("images");
            Directory.CreateDirectory(folder);
            var image = Path.Combine(folder, name + ".png");
            var map = Path.Combine(folder, name + "-map.png");
            using var pixels = new Mat(96, 96, MatType.CV_8UC1, Scalar.All(128));
            Cv2.Circle(pixels, new Point(20 + (index * 9), 48), 6, Scalar.All(20), -1);
            Cv2.ImWrite(image, pixels);
            using var scores = new Mat(96, 96, MatType.CV_8UC1, Scalar.All(0));
            Cv2.Circle(scores, new Point(20 + (index * 9), 48), 8, Scalar.All(250), -1);
            Cv2.ImWrite(map, scores);
            return (image, map);
        }

        public string WriteFile(string name, string text)
        {
            var path = temp.Combine(name);
            File.WriteAllText(path, text);
            return path;
        }
    }

    /// <summary>Answers one recorded JSON body and keeps the request's body; fails a request to any other path.</summary>
    public sealed class RecordedServer : HttpMessageHandler
    {
        private readonly HttpMethod method;
        private readonly string path;
        private readonly HttpStatusCode status;
        private readonly string json;

        public RecordedServer(HttpMethod method, string path, HttpStatusCode status, string json)
        {
            (this.method, this.path, this.status, this.json) = (method, path, status, json);
            Api = new AnomalyNcdApiClient(new HttpClient(this) { BaseAddress = new Uri("http://recorded.test/") }, maxAttempts: 1);
        }

        internal AnomalyNcdApiClient Api { get; }

        public string? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal(method, request.Method);
            Assert.Equal(path, request.RequestUri!.AbsolutePath);
            Body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        }
    }
}
