using System.Diagnostics;
using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Inference;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Core.Merging;
using AnomalyNcd.Grains.Processing;

namespace AnomalyNcd.Grains.Images;

/// <summary>
/// One image of a line (key line/image): binarises and crops it off the grain scheduler, stores its regions,
/// classifies them with the line's promoted model (through their region grains), merges their predictions into the
/// image label and reports the result to the line (or leaves that to a batched upload).
/// </summary>
public sealed class ImageGrain(
    [PersistentState("image", GrainsSiloBuilderExtensions.StateStorage)] IPersistentState<ImageState> state,
    ImageProcessor processor)
    : Grain, IImageGrain
{
    public async Task<ImageResult> SubmitAsync(ImageSubmission submission)
    {
        var result = await SubmitCoreAsync(submission);
        var stage = Stopwatch.GetTimestamp();
        await GrainFactory.GetGrain<IProductLineGrain>(result.LineId).RecordImageAsync(result);
        IngestMetrics.Record(IngestStage.GrainLineRecord, stage);
        return result;
    }

    public Task<ImageResult> SubmitWithoutLineRecordAsync(ImageSubmission submission) =>
        SubmitCoreAsync(submission);

    public Task<RegionResult?> GetExtractedRegionAsync(int index) =>
        Task.FromResult(state.State.Result?.Regions.FirstOrDefault(r => r.Key.Index == index));

    /// <summary>
    /// Processes and stores a new image, or returns a stored one with the same bytes (a retried upload: the first attempt
    /// may have stopped after storing the image but before the line heard of it, so the caller records it again).
    /// </summary>
    private async Task<ImageResult> SubmitCoreAsync(ImageSubmission submission)
    {
        var (lineId, imageId) = Key();
        var line = GrainFactory.GetGrain<IProductLineGrain>(lineId);
        if (state.State.Result is { } existing)
        {
            if (existing.Image.Sha256 != submission.Image.Sha256)
            {
                throw RequestRejectedException.Conflict($"image {imageId} of line {lineId} already exists with other content");
            }

            return await WithCurrentRegions(existing);
        }

        if (!GrainKeys.IsValidId(imageId))
        {
            throw RequestRejectedException.Invalid($"'{imageId}' is not a valid image id");
        }

        // The summary refuses an uncreated line (NotFound, "line … does not exist"): no separate existence call.
        var stage = Stopwatch.GetTimestamp();
        var summary = await line.GetSummaryAsync();
        IngestMetrics.Record(IngestStage.GrainLineSummary, stage);
        var settings = summary.Settings;
        if (!settings.HasCalibration && submission.DetectorVersion is null)
        {
            throw RequestRejectedException.NotReady($"line {lineId} has no map calibration");
        }

        var receivedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();

        // Decoding, MEBin and cropping are CPU work: off the grain scheduler; state changes only after the await.
        stage = Stopwatch.GetTimestamp();
        var processed = await Task.Run(() => processor.ProcessAsync(lineId, imageId, submission, settings.CalibrationMin ?? 0, settings.CalibrationMax ?? 0, mebinFloor: settings.MebinFloor));
        IngestMetrics.Record(IngestStage.GrainProcess, stage);
        var regions = processed.Regions
            .Select(r => new RegionResult(new RegionKey(lineId, imageId, r.Index), r.Box, r.Area, r.Score, r.Crop, r.CropMask, null, null, 0.0, null, null))
            .ToArray();
        var result = new ImageResult(
            lineId,
            imageId,
            regions.Length == 0 ? ImageStatus.NoAnomaly : ImageStatus.Binarised,
            submission.Image,
            submission.Map,
            processed.Mask,
            processed.Width,
            processed.Height,
            regions,
            null,
            submission.GroundTruthClass,
            receivedAt,
            DateTimeOffset.UtcNow,
            clock.Elapsed.TotalMilliseconds,
            submission.DetectorVersion);
        state.State.Result = result;

        // One write: the regions live in the image's state until something changes them (see RegionGrain).
        stage = Stopwatch.GetTimestamp();
        await state.WriteStateAsync();
        IngestMetrics.Record(IngestStage.GrainStateWrites, stage);
        IngestMetrics.Regions.Add(regions.Length);

        if (summary.PromotedModel is { } model && regions.Length > 0)
        {
            result = await Classify(result, model, summary.Classes);
            result = result with { ProcessingMilliseconds = clock.Elapsed.TotalMilliseconds };
            state.State.Result = result;
            await state.WriteStateAsync();
        }

        return result;
    }

    public async Task<ImageResult?> GetAsync() =>
        state.State.Result is { } result ? await WithCurrentRegions(result) : null;

    public async Task<ImageResult> ClassifyAsync()
    {
        var (lineId, imageId) = Key();
        var result = state.State.Result ?? throw RequestRejectedException.NotFound($"image {imageId} of line {lineId} does not exist");
        var line = GrainFactory.GetGrain<IProductLineGrain>(lineId);
        var summary = await line.GetSummaryAsync();
        var model = summary.PromotedModel ?? throw RequestRejectedException.NotReady($"line {lineId} has no promoted model");
        if (result.Regions.Length == 0)
        {
            return result;
        }

        result = await Classify(await WithCurrentRegions(result), model, summary.Classes);
        state.State.Result = result;
        await state.WriteStateAsync();
        await line.RecordImageAsync(result);
        return result;
    }

    /// <summary>Classifies the regions on the model's inference pool, records each assignment and merges the image label (area-weighted).</summary>
    private async Task<ImageResult> Classify(ImageResult result, ModelVersion model, DefectClass[] classes)
    {
        var crops = result.Regions.Select(r => new CropToClassify(r.Key, r.Crop, r.CropMask, r.Area)).ToArray();
        var inference = GrainFactory.GetGrain<IInferenceGrain>(InferencePool.Key(result.LineId, model.Version, InferencePool.SlotOf(result.ImageId)));
        var predictions = await inference.ClassifyAsync(model, crops);
        var byRegion = predictions.ToDictionary(p => p.Region);
        var missing = result.Regions.Where(r => !byRegion.ContainsKey(r.Key)).Select(r => r.Key.ToString()).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"inference for model {model.Version} returned no prediction for {string.Join(", ", missing)}");
        }

        var regions = await Task.WhenAll(result.Regions.Select(r =>
        {
            var prediction = byRegion[r.Key];
            return GrainFactory.GetGrain<IRegionGrain>(r.Key.GrainKey).AssignAsync(prediction.ClassId, prediction.Confidence, model.Version, prediction.Embedding);
        }));
        var label = MergeLabel(result.Regions, result.Regions.Select(r => byRegion[r.Key]).ToArray(), model, classes);
        return result with { Status = ImageStatus.Classified, Regions = regions, Label = label };
    }

    private ImageLabel MergeLabel(RegionResult[] regions, CropPrediction[] predictions, ModelVersion model, DefectClass[] classes)
    {
        // One class axis for all crops: the model's heads in order, then anything else a prediction names.
        var classIds = model.Classes.OrderBy(c => c.HeadIndex).Select(c => c.ClassId).ToList();
        foreach (var id in predictions.SelectMany(Distribution).Select(p => p.Key).Distinct().Order(StringComparer.Ordinal))
        {
            if (!classIds.Contains(id))
            {
                classIds.Add(id);
            }
        }

        var vectors = predictions
            .Select(p =>
            {
                var distribution = Distribution(p).ToDictionary(e => e.Key, e => e.Value);
                return (IReadOnlyList<double>)classIds.Select(id => distribution.GetValueOrDefault(id)).ToArray();
            })
            .ToList();
        var merged = RegionMerger.Merge(vectors, regions.Select(r => (long)r.Area).ToList(), processor.Options.MergeTemperature);
        var classId = classIds[merged.ClassIndex];
        var name = classes.FirstOrDefault(c => c.ClassId == classId)?.Name ?? model.Classes.FirstOrDefault(c => c.ClassId == classId)?.Name;
        var probabilities = classIds.Select((id, i) => (id, merged.Probabilities[i])).ToDictionary(e => e.id, e => e.Item2);
        return new ImageLabel(classId, name, merged.Confidence, probabilities);
    }

    /// <summary>A prediction's distribution; one without probabilities counts as certain of its class.</summary>
    private static IEnumerable<KeyValuePair<string, double>> Distribution(CropPrediction prediction) =>
        prediction.Probabilities is { Count: > 0 } probabilities
            ? probabilities
            : [new KeyValuePair<string, double>(prediction.ClassId, 1.0)];

    /// <summary>The regions as their grains hold them now (an operator may have moved them since).</summary>
    private async Task<ImageResult> WithCurrentRegions(ImageResult result)
    {
        if (result.Regions.Length == 0)
        {
            return result;
        }

        var current = await Task.WhenAll(result.Regions.Select(r => GrainFactory.GetGrain<IRegionGrain>(r.Key.GrainKey).GetAsync()));
        return result with { Regions = [.. current.Select((r, i) => r ?? result.Regions[i])] };
    }

    private (string LineId, string ImageId) Key()
    {
        try
        {
            return GrainKeys.ParseImage(this.GetPrimaryKeyString());
        }
        catch (ArgumentException ex)
        {
            throw RequestRejectedException.Invalid(ex.Message);
        }
    }
}
