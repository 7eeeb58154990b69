using System.Collections.Concurrent;
using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Silo.Export;

namespace AnomalyNcd.Silo.Tests.Export;

/// <summary><see cref="LineExport"/> over a fake line: paging, images arriving meanwhile, the time range, latest region state.</summary>
public sealed class LineExportTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task WriteAsync_PagesUnderThePageRule_AndWritesEachImageOnce_EvenWhenImagesArriveMeanwhile()
    {
        var line = new FakeLine(1_203) { ArrivalsPerPage = 7 };
        var writer = new CollectingWriter();

        var written = await new LineExport(line).WriteAsync("l", new ExportQuery(ExportFormat.Csv, null, null), writer, CancellationToken.None);

        Assert.All(line.Pages, page => Assert.Null(PageLimits.Problem(page.Skip, page.Take)));
        Assert.True(line.Pages.Count >= 3, $"{line.Pages.Count} pages");
        Assert.Equal(written, writer.Images.Count);
        Assert.Equal(writer.Images.Count, writer.Images.Select(i => i.ImageId).Distinct().Count());
        Assert.Superset(Enumerable.Range(0, 1_203).Select(FakeLine.Id).ToHashSet(), writer.Images.Select(i => i.ImageId).ToHashSet());
        Assert.True(writer.Ended);
    }

    [Fact]
    public async Task WriteAsync_KeepsTheTimeRange_AndUsesTheRegionsLatestClass()
    {
        var line = new FakeLine(10);
        var writer = new CollectingWriter();
        var query = new ExportQuery(ExportFormat.Json, Start.AddMinutes(2), Start.AddMinutes(5));

        await new LineExport(line).WriteAsync("l", query, writer, CancellationToken.None);

        Assert.Equal(["i00002", "i00003", "i00004"], writer.Images.Select(i => i.ImageId).Order());
        Assert.All(writer.Images, i => Assert.Equal(("k0", "Spot"), (i.Regions[0].ClassId, i.Regions[0].ClassName)));
    }

    private sealed class CollectingWriter : IExportWriter
    {
        public List<ExportImage> Images { get; } = [];

        public bool Ended { get; private set; }

        public string ContentType => "text/plain";

        public Task BeginAsync(ExportCatalogue catalogue, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task WriteAsync(ExportImage image, CancellationToken cancellationToken)
        {
            Images.Add(image);
            return Task.CompletedTask;
        }

        public Task EndAsync(CancellationToken cancellationToken)
        {
            Ended = true;
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>A line of <c>count</c> images, one a minute, each with one region stored as "k1" but moved to "k0" since.</summary>
    private sealed class FakeLine(int count) : ILineResults
    {
        private static readonly ArtefactRef Fake = new(new string('f', 64), "image", "png", 1);
        private int total = count;

        public int ArrivalsPerPage { get; init; }

        public ConcurrentBag<(int Skip, int Take)> Pages { get; } = [];

        public static string Id(int i) => $"i{i:D5}";

        public Task<bool> LineExistsAsync(string line) => Task.FromResult(true);

        public Task<DefectClass[]> GetClassesAsync(string line) =>
            Task.FromResult<DefectClass[]>([new DefectClass("k0", "Spot", ClassStatus.Confirmed, 0, 0, [], Start)]);

        public Task<string[]> ListImagesAsync(string line, int skip, int take)
        {
            Pages.Add((skip, take));
            var newestFirst = Enumerable.Range(0, total).Reverse().Skip(skip).Take(take).Select(Id).ToArray();
            total += ArrivalsPerPage;
            return Task.FromResult(newestFirst);
        }

        public Task<ImageResult?> GetImageAsync(string line, string imageId)
        {
            var at = Start.AddMinutes(int.Parse(imageId[1..], System.Globalization.CultureInfo.InvariantCulture));
            var region = new RegionResult(new RegionKey(line, imageId, 0), new RegionBox(1, 1, 5, 5), 16, 0.9, Fake, Fake, null, "k1", 0.7, "v1", null);
            return Task.FromResult<ImageResult?>(new ImageResult(line, imageId, ImageStatus.Classified, Fake, null, null, 8, 8, [region], null, null, at, at, 1));
        }

        public Task<RegionResult> GetRegionAsync(RegionResult stored) =>
            Task.FromResult(stored with { Decision = new OperatorDecision("merge", "k0", "olga", Start) });
    }
}
