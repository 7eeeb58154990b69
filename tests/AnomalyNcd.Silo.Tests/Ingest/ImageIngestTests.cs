using System.Diagnostics.Metrics;
using System.Reflection;
using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Grains.Processing;
using AnomalyNcd.Silo.Hosting;
using AnomalyNcd.Silo.Ingest;
using AnomalyNcd.Silo.Tests.Api;
using Microsoft.AspNetCore.Http;

namespace AnomalyNcd.Silo.Tests.Ingest;

/// <summary>
/// The ingest use case without HTTP and without a cluster: every refusal it makes before a grain is asked. The grain
/// factory throws when touched, and the artefact store must stay empty.
/// </summary>
public sealed class ImageIngestTests : IDisposable
{
    private readonly TempFolder folder = TestData.NewTempFolder();
    private readonly FileArtefactStore store;
    private readonly DecodedUploads decoded = new();
    private readonly ImageIngest ingest;

    public ImageIngestTests()
    {
        store = new FileArtefactStore(folder.Combine("artefacts"));
        var options = new AnomalyNcdServerOptions { DataFolder = folder.Path, MaxUploadBytes = 1000, MaxBatchImages = 2 };
        ingest = new ImageIngest(DispatchProxy.Create<IGrainFactory, UntouchableGrains>(), store, decoded, options);
    }

    public void Dispose()
    {
        decoded.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void CheckRequest_RefusesBadLineIds_OversizedBodies_AndOtherContentTypes()
    {
        Assert.Null(ingest.CheckRequest("line-1", 1000, hasFormContentType: true, "multipart/form-data"));
        Assert.Equal(UploadRefusalKind.BadRequest, ingest.CheckRequest(".hidden", 10, true, "multipart/form-data")?.Kind);
        var tooLarge = ingest.CheckRequest("line-1", 1001, true, "multipart/form-data");
        Assert.Equal(UploadRefusalKind.TooLarge, tooLarge?.Kind);
        Assert.Contains("1001 bytes exceeds the limit of 1000", tooLarge?.Detail);
        var notForm = ingest.CheckRequest("line-1", 10, false, "application/json");
        Assert.Equal(UploadRefusalKind.UnsupportedMediaType, notForm?.Kind);
        Assert.Contains("'application/json'", notForm?.Detail);
    }

    [Fact]
    public async Task Upload_WithAnInvalidImageId_IsRefusedBeforeAnythingIsStored()
    {
        var outcome = await ingest.UploadAsync("line-1", new UploadItem(File("part.png", TestImages.SurfacePng(16, 16, 1)), null, "../up", null), CancellationToken.None);

        Assert.Equal(UploadRefusalKind.BadRequest, outcome.Refusal?.Kind);
        Assert.Contains("image id '../up' is not valid", outcome.Refusal?.Detail);
        Assert.Null(outcome.Result);
        Assert.Empty(StoredFiles());
    }

    [Fact]
    public async Task Upload_WithAnInvalidGroundTruth_IsRefused()
    {
        var outcome = await ingest.UploadAsync("line-1", new UploadItem(File("part.png", TestImages.SurfacePng(16, 16, 1)), null, null, "no spaces"), CancellationToken.None);

        Assert.Equal(UploadRefusalKind.BadRequest, outcome.Refusal?.Kind);
        Assert.Contains("groundTruth 'no spaces'", outcome.Refusal?.Detail);
        Assert.Empty(StoredFiles());
    }

    [Fact]
    public async Task Upload_OfAFileThatIsNoImage_IsRefusedAsUnsupported_AndCounted()
    {
        using var rejections = new CounterTotal(IngestMetrics.Rejections, IngestMetrics.KindTag, "unsupported-media-type");

        var outcome = await ingest.UploadAsync("line-1", new UploadItem(File("notes.txt", "hello"u8.ToArray()), null, null, null), CancellationToken.None);

        Assert.Equal(UploadRefusalKind.UnsupportedMediaType, outcome.Refusal?.Kind);
        Assert.StartsWith("notes.txt: not an image file", outcome.Refusal?.Detail);
        Assert.Empty(StoredFiles());
        // Other tests of this assembly may refuse uploads at the same time, so at least this one.
        Assert.True(rejections.Total >= 1);
    }

    [Fact]
    public async Task Upload_WithAMapThatDoesNotFit_IsRefusedAsUnprocessable()
    {
        var item = new UploadItem(File("part.png", TestImages.SurfacePng(64, 64, 1)), File("map.png", TestImages.MapPng(64, 16)), null, null);

        var outcome = await ingest.UploadAsync("line-1", item, CancellationToken.None);

        Assert.Equal(UploadRefusalKind.Unprocessable, outcome.Refusal?.Kind);
        Assert.Contains("does not fit image part.png of 64x64", outcome.Refusal?.Detail);
        Assert.Empty(StoredFiles());
    }

    [Fact]
    public void PairBatch_PairsPartsInOrder_WithIdsDefaultingToTheFileStem()
    {
        var (items, refusal) = ingest.PairBatch(new BatchParts(
            [File("a.png", [1]), File("dir/b.png", [2])], [], ["first", null], []));

        Assert.Null(refusal);
        Assert.Equal(new[] { "first", "b" }, items!.Select(i => i.ImageId));
        Assert.Equal(new[] { "a.png", "b.png" }, items!.Select(i => i.FileName));
        Assert.All(items!, i => Assert.Null(i.Map));
    }

    [Fact]
    public void PairBatch_RefusesNoImages_TooManyImages_AndUnpairedParts()
    {
        var none = ingest.PairBatch(new BatchParts([], [], [], [])).Refusal;
        var tooMany = ingest.PairBatch(new BatchParts([File("a.png", [1]), File("b.png", [1]), File("c.png", [1])], [], [], [])).Refusal;
        var unpaired = ingest.PairBatch(new BatchParts([File("a.png", [1]), File("b.png", [1])], [File("m.png", [1])], [], [])).Refusal;

        Assert.Equal("the form has no 'image' file", none?.Detail);
        Assert.Equal("the batch has 3 images; at most 2 per request", tooMany?.Detail);
        Assert.Equal("the batch has 2 'image' files but 1 'map' parts: give none or one per image, in the same order", unpaired?.Detail);
        Assert.All(new[] { none, tooMany, unpaired }, r => Assert.Equal(UploadRefusalKind.BadRequest, r?.Kind));
    }

    [Fact]
    public void RefusalTags_AreKebabCase()
    {
        Assert.Equal("unsupported-media-type", UploadRefusal.UnsupportedMediaType("x").Tag);
        Assert.Equal("not-found", UploadRefusal.NotFound("x").Tag);
        Assert.Equal("conflict", UploadRefusal.Conflict("x").Tag);
    }

    private static FormFile File(string name, byte[] bytes) => new(new MemoryStream(bytes), 0, bytes.Length, "image", name);

    private string[] StoredFiles() =>
        Directory.Exists(folder.Combine("artefacts")) ? Directory.GetFiles(folder.Combine("artefacts"), "*", SearchOption.AllDirectories) : [];

    /// <summary>Stands in for the cluster: this use case must refuse these uploads without asking any grain.</summary>
    public class UntouchableGrains : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            throw new InvalidOperationException($"a grain was asked ({targetMethod?.Name}) for an upload that should have been refused first");
    }

    /// <summary>Sums one counter's measurements with one tag value while it lives.</summary>
    private sealed class CounterTotal : IDisposable
    {
        private readonly MeterListener listener = new();
        private long total;

        public CounterTotal(Counter<long> counter, string tag, string value)
        {
            listener.InstrumentPublished = (instrument, own) =>
            {
                if (ReferenceEquals(instrument, counter))
                {
                    own.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, delta, tags, _) =>
            {
                foreach (var pair in tags)
                {
                    if (pair.Key == tag && Equals(pair.Value, value))
                    {
                        Interlocked.Add(ref total, delta);
                    }
                }
            });
            listener.Start();
        }

        public long Total => Interlocked.Read(ref total);

        public void Dispose() => listener.Dispose();
    }
}
