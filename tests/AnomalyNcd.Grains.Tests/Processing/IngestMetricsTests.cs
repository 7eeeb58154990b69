using System.Diagnostics;
using System.Diagnostics.Metrics;
using AnomalyNcd.Core.Diagnostics;
using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Grains.Processing;
using AnomalyNcd.Grains.Tests.Support;

namespace AnomalyNcd.Grains.Tests.Processing;

/// <summary>The ingest path's instruments: the processor's stages land in the ingest histogram, regions in their counter.</summary>
public sealed class IngestMetricsTests : IDisposable
{
    private readonly TempFolder folder = TestData.NewTempFolder();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Process_RecordsEachProcessorStage()
    {
        var store = new FileArtefactStore(folder.Path);
        var processor = new ImageProcessor(store, ImageProcessingOptions.Default);
        var submission = await SyntheticPicture.StoreAsync(store);
        using var reader = new StageReader(IngestMetrics.Stages);

        await processor.ProcessAsync("line", "img", submission, 0f, 1f);

        // Other tests may process images at the same time, so at least once each.
        foreach (var stage in new[] { IngestStage.ProcDecode, IngestStage.ProcMebin, IngestStage.ProcCropEncode, IngestStage.ProcStoreDerived })
        {
            var total = reader[IngestMetrics.StageName(stage)];
            Assert.True(total.Calls >= 1, $"{stage} was not recorded");
            Assert.True(total.Total > TimeSpan.Zero, $"{stage} took no time");
        }
    }

    [Fact]
    public void StageNames_KeepTheTagsTheBenchHasAlwaysPrinted()
    {
        Assert.Equal(
            new[]
            {
                "api.line-exists", "api.read-form", "api.validate", "api.existing-check", "api.store-upload", "api.grain-submit", "api.line-record-batch",
                "grain.line-record", "grain.line-summary", "grain.process", "grain.state-writes",
                "proc.store-derived", "proc.decode", "proc.mebin", "proc.crop-encode", "line.state-write",
            },
            Enum.GetValues<IngestStage>().Select(IngestMetrics.StageName));
    }

    [Fact]
    public void Instruments_AreOnTheProductMeter_WithTheirUnits()
    {
        Assert.Equal(AnomalyNcdMeter.Name, IngestMetrics.Stages.Instrument.Meter.Name);
        Assert.Equal("s", IngestMetrics.Stages.Instrument.Unit);
        Assert.All(new Instrument[] { IngestMetrics.Images, IngestMetrics.Regions, IngestMetrics.Rejections }, counter => Assert.Same(AnomalyNcdMeter.Meter, counter.Meter));
    }
}
