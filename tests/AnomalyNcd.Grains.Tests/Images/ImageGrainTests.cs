using Microsoft.Extensions.DependencyInjection;
using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Core.Merging;
using AnomalyNcd.Grains.Tests.Support;
using Xunit.Abstractions;

namespace AnomalyNcd.Grains.Tests.Images;

[Collection(ClusterCollection.Name)]
public sealed class ImageGrainTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private IClusterClient Client => fixture.Client;

    [Fact]
    public async Task Submit_SyntheticPicture_StoresRegionsAndIsBinarised()
    {
        var lineId = ClusterFixture.NewLineId("bin");
        var line = await LineSetup.CreateAsync(Client, lineId);
        var submission = await SyntheticPicture.StoreAsync(fixture.Store);

        var result = await Client.GetGrain<IImageGrain>(GrainKeys.Image(lineId, "img-1")).SubmitAsync(submission);

        Assert.Equal(ImageStatus.Binarised, result.Status);
        Assert.Null(result.Label);
        Assert.Equal(2, result.Regions.Length);
        Assert.NotNull(result.Mask);
        Assert.True(fixture.Store.Exists(result.Mask!));
        foreach (var region in result.Regions)
        {
            Assert.True(fixture.Store.Exists(region.Crop));
            Assert.True(fixture.Store.Exists(region.CropMask));
            Assert.Equal(region, await Client.GetGrain<IRegionGrain>(region.Key.GrainKey).GetAsync());
        }

        Assert.Equal([0, 1], result.Regions.Select(r => r.Key.Index));
        var summary = await line.GetSummaryAsync();
        Assert.Equal((1, 1, 2), (summary.ImageCount, summary.AnomalousImageCount, summary.RegionCount));
        Assert.Equal(["img-1"], await line.ListImagesAsync(0, 10));
    }

    [Fact]
    public async Task Submit_SameBytesAgain_ReturnsTheStoredResult()
    {
        var lineId = ClusterFixture.NewLineId("idem");
        var line = await LineSetup.CreateAsync(Client, lineId);
        var image = Client.GetGrain<IImageGrain>(GrainKeys.Image(lineId, "img"));
        var first = await image.SubmitAsync(await SyntheticPicture.StoreAsync(fixture.Store));

        var again = await image.SubmitAsync(await SyntheticPicture.StoreAsync(fixture.Store));

        Assert.Equal(first.ReceivedAt, again.ReceivedAt);
        Assert.Equal(first.Regions, again.Regions);
        Assert.Equal(1, (await line.GetSummaryAsync()).ImageCount);
        Assert.Equal(2, (await line.GetSummaryAsync()).RegionCount);
    }

    [Fact]
    public async Task Submit_OtherBytesUnderTheSameId_IsConflict()
    {
        var lineId = ClusterFixture.NewLineId("conflict");
        await LineSetup.CreateAsync(Client, lineId);
        var image = Client.GetGrain<IImageGrain>(GrainKeys.Image(lineId, "img"));
        await image.SubmitAsync(await SyntheticPicture.StoreAsync(fixture.Store));

        var error = await Assert.ThrowsAsync<RequestRejectedException>(async () => await image.SubmitAsync(await SyntheticPicture.StoreAsync(fixture.Store, variant: 1)));

        Assert.Equal(RejectionKind.Conflict, error.Kind);
    }

    [Fact]
    public async Task Submit_UnknownLine_IsNotFoundAndStoresNothing()
    {
        var lineId = ClusterFixture.NewLineId("nowhere");
        var image = Client.GetGrain<IImageGrain>(GrainKeys.Image(lineId, "img"));

        var error = await Assert.ThrowsAsync<RequestRejectedException>(async () => await image.SubmitAsync(await SyntheticPicture.StoreAsync(fixture.Store)));

        Assert.Equal(RejectionKind.NotFound, error.Kind);
        Assert.Null(await image.GetAsync());
        Assert.Null(await Client.GetGrain<IRegionGrain>(GrainKeys.Region(lineId, "img", 0)).GetAsync());
    }

    [Fact]
    public async Task Submit_LineWithoutCalibration_IsNotReady()
    {
        var lineId = ClusterFixture.NewLineId("uncal");
        var created = await LineSetup.CreateAsync(Client, lineId, LineSettings.Empty);
        Assert.Equal(LineSettings.Empty, (await created.GetSummaryAsync()).Settings);
        var image = Client.GetGrain<IImageGrain>(GrainKeys.Image(lineId, "img"));

        var error = await Assert.ThrowsAsync<RequestRejectedException>(async () => await image.SubmitAsync(await SyntheticPicture.StoreAsync(fixture.Store)));

        Assert.Equal(RejectionKind.NotReady, error.Kind);
        Assert.Equal($"line {lineId} has no map calibration", error.Message);
        Assert.Null(await image.GetAsync());

        // Regression: state defaults once shared this singleton, and reading state rewrote it in place.
        Assert.Null(LineSettings.Empty.CalibrationMin);
    }

    [Fact]
    public async Task Submit_NormalPicture_IsNoAnomaly()
    {
        var lineId = ClusterFixture.NewLineId("normal");
        var line = await LineSetup.CreateAsync(Client, lineId);

        var result = await Client.GetGrain<IImageGrain>(GrainKeys.Image(lineId, "ok")).SubmitAsync(await SyntheticPicture.StoreAsync(fixture.Store, withDefects: false));

        Assert.Equal(ImageStatus.NoAnomaly, result.Status);
        Assert.Empty(result.Regions);
        var summary = await line.GetSummaryAsync();
        Assert.Equal((1, 0, 0), (summary.ImageCount, summary.AnomalousImageCount, summary.RegionCount));
    }

    [Fact]
    public async Task Submit_WithPromotedModel_ClassifiesRegionsMergesLabelAndFillsCatalogue()
    {
        var lineId = ClusterFixture.NewLineId("cls");
        var line = await LineSetup.CreateAsync(Client, lineId);
        await LineSetup.RegisterAndPromoteAsync(line, lineId);
        var callsBefore = FakeInferenceGrain.Calls;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await Client.GetGrain<IImageGrain>(GrainKeys.Image(lineId, "img")).SubmitAsync(await SyntheticPicture.StoreAsync(fixture.Store));
        output.WriteLine($"submit with classification: {clock.Elapsed.TotalMilliseconds:F1} ms round trip, {result.ProcessingMilliseconds:F1} ms in the grain");

        Assert.True(FakeInferenceGrain.Calls > callsBefore);
        Assert.Equal(ImageStatus.Classified, result.Status);
        Assert.All(result.Regions, r => Assert.Equal("v1", r.ModelVersion));
        var (large, small) = (result.Regions[0], result.Regions[1]);
        Assert.Equal(FakeInferenceGrain.Large, large.ClassId);
        Assert.Equal(FakeInferenceGrain.Small, small.ClassId);
        Assert.Equal(FakeInferenceGrain.Large, (await Client.GetGrain<IRegionGrain>(large.Key.GrainKey).GetAsync())!.ClassId);

        // The label is Core's area-weighted merge of the two crops' distributions.
        var expected = RegionMerger.Merge(
            [.. result.Regions.Select(r => (IReadOnlyList<double>)[FakeInferenceGrain.Distribution(r.Area)[FakeInferenceGrain.Large], FakeInferenceGrain.Distribution(r.Area)[FakeInferenceGrain.Small]])],
            [.. result.Regions.Select(r => (long)r.Area)],
            RegionMergeTemperature.Default);
        Assert.NotNull(result.Label);
        Assert.Equal(expected.ClassIndex == 0 ? FakeInferenceGrain.Large : FakeInferenceGrain.Small, result.Label!.ClassId);
        Assert.Equal(expected.Confidence, result.Label.Confidence, 12);
        Assert.Equal(expected.Probabilities[1], result.Label.Probabilities[FakeInferenceGrain.Small], 12);

        var classes = await line.GetClassesAsync();
        Assert.Equal([FakeInferenceGrain.Large, FakeInferenceGrain.Small], classes.Select(c => c.ClassId));
        Assert.All(classes, c => Assert.Equal((ClassStatus.Proposed, 1, 1), (c.Status, c.RegionCount, c.ImageCount)));
        Assert.Equal([large.Key], classes[0].Representatives);
    }

    [Fact]
    public async Task Classify_AfterPromotion_ClassifiesABinarisedImage()
    {
        var lineId = ClusterFixture.NewLineId("late");
        var line = await LineSetup.CreateAsync(Client, lineId);
        var image = Client.GetGrain<IImageGrain>(GrainKeys.Image(lineId, "img"));
        await image.SubmitAsync(await SyntheticPicture.StoreAsync(fixture.Store));
        var notYet = await Assert.ThrowsAsync<RequestRejectedException>(() => image.ClassifyAsync());
        Assert.Equal(RejectionKind.NotReady, notYet.Kind);

        await LineSetup.RegisterAndPromoteAsync(line, lineId);
        var result = await image.ClassifyAsync();

        Assert.Equal(ImageStatus.Classified, result.Status);
        Assert.NotNull(result.Label);
        Assert.Equal(ImageStatus.Classified, (await image.GetAsync())!.Status);
        var summary = await line.GetSummaryAsync();
        Assert.Equal((1, 2), (summary.ImageCount, summary.RegionCount));
        Assert.Equal(2, summary.Classes.Sum(c => c.RegionCount));
    }

    [Fact]
    public async Task State_ReloadsFromStorageAfterDeactivation()
    {
        var lineId = ClusterFixture.NewLineId("reload");
        var line = await LineSetup.CreateAsync(Client, lineId);
        await LineSetup.RegisterAndPromoteAsync(line, lineId);
        var image = Client.GetGrain<IImageGrain>(GrainKeys.Image(lineId, "img"));
        var submitted = await image.SubmitAsync(await SyntheticPicture.StoreAsync(fixture.Store));
        var region = Client.GetGrain<IRegionGrain>(submitted.Regions[0].Key.GrainKey);
        var summaryBefore = await line.GetSummaryAsync();

        foreach (var grain in new IAddressable[] { image, region, line })
        {
            await fixture.Cluster.DeactivateAsync(grain);
            await fixture.Cluster.WaitForDeactivationAsync(grain);
        }

        var reloaded = (await image.GetAsync())!;
        Assert.Equal(submitted.Status, reloaded.Status);
        Assert.Equal(submitted.Image, reloaded.Image);
        Assert.Equal(submitted.Mask, reloaded.Mask);
        Assert.Equal(submitted.Regions, reloaded.Regions);
        Assert.Equal(submitted.Label!.ClassId, reloaded.Label!.ClassId);
        Assert.Equal(submitted.Regions[0], await region.GetAsync());
        var summaryAfter = await line.GetSummaryAsync();
        Assert.Equal((summaryBefore.ImageCount, summaryBefore.RegionCount), (summaryAfter.ImageCount, summaryAfter.RegionCount));
        Assert.Equal("v1", summaryAfter.PromotedModel!.Version);
        Assert.Equal(summaryBefore.Classes.Select(c => (c.ClassId, c.RegionCount)), summaryAfter.Classes.Select(c => (c.ClassId, c.RegionCount)));
    }

    [Fact]
    public async Task Submit_NewImage_WritesNoRegionStateAndRegionGrainsStartFromTheImage()
    {
        var lineId = ClusterFixture.NewLineId("lazy");
        await LineSetup.CreateAsync(Client, lineId);
        var image = Client.GetGrain<IImageGrain>(GrainKeys.Image(lineId, "img"));
        var submitted = await image.SubmitAsync(await SyntheticPicture.StoreAsync(fixture.Store));
        var key = submitted.Regions[1].Key;
        var region = Client.GetGrain<IRegionGrain>(key.GrainKey);

        var storedAfterIngest = await StoredRegionAsync(key);
        var seen = await region.GetAsync();
        await fixture.Cluster.DeactivateAsync(region);
        await fixture.Cluster.WaitForDeactivationAsync(region);
        var decided = await region.DecideAsync(new OperatorDecision("move", "c9", "ana", DateTimeOffset.UtcNow));
        foreach (var grain in new IAddressable[] { image, region })
        {
            await fixture.Cluster.DeactivateAsync(grain);
            await fixture.Cluster.WaitForDeactivationAsync(grain);
        }

        Assert.Null(storedAfterIngest);
        Assert.Equal(submitted.Regions[1], seen);
        Assert.Equal(("c9", submitted.Regions[1].Crop), (decided.ClassId, decided.Crop));
        Assert.Equal("c9", (await StoredRegionAsync(key))?.ClassId);
        Assert.Equal("c9", (await region.GetAsync())!.ClassId);
        Assert.Equal("c9", (await image.GetAsync())!.Regions[1].ClassId);
        Assert.Null(await Client.GetGrain<IRegionGrain>(GrainKeys.Region(lineId, "img", 7)).GetAsync());
    }

    [Fact]
    public async Task SubmitWithoutLineRecord_LeavesTheLineToTheCaller_RecordImagesCountsTheBatchOnce()
    {
        var lineId = ClusterFixture.NewLineId("batch");
        var line = await LineSetup.CreateAsync(Client, lineId);
        var a = await Client.GetGrain<IImageGrain>(GrainKeys.Image(lineId, "a")).SubmitWithoutLineRecordAsync(await SyntheticPicture.StoreAsync(fixture.Store, variant: 0));
        var b = await Client.GetGrain<IImageGrain>(GrainKeys.Image(lineId, "b")).SubmitWithoutLineRecordAsync(await SyntheticPicture.StoreAsync(fixture.Store, variant: 1));
        var countBefore = (await line.GetSummaryAsync()).ImageCount;

        await line.RecordImagesAsync([a, b]);
        await line.RecordImagesAsync([a, b]);

        var summary = await line.GetSummaryAsync();
        Assert.Equal(0, countBefore);
        Assert.Equal((2, 2, a.Regions.Length + b.Regions.Length), (summary.ImageCount, summary.AnomalousImageCount, summary.RegionCount));
        Assert.Equal(["a", "b"], (await line.ListImagesAsync(0, 10)).Order(StringComparer.Ordinal));
        var foreign = await Assert.ThrowsAsync<RequestRejectedException>(() => line.RecordImagesAsync([a with { LineId = "other-line" }]));
        Assert.Equal(RejectionKind.Invalid, foreign.Kind);
    }

    /// <summary>The region grain's own stored state (null when it never wrote one), read from the silos' storage.</summary>
    private async Task<RegionResult?> StoredRegionAsync(RegionKey key)
    {
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>("state");
        var state = new GrainState<AnomalyNcd.Grains.Regions.RegionState>(new AnomalyNcd.Grains.Regions.RegionState());
        await storage.ReadStateAsync("region", GrainId.Create("region", key.GrainKey), state);
        return state.State?.Region;
    }
}
