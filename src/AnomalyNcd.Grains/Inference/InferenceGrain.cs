using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Inference;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Analytics.Embeddings;
using AnomalyNcd.Core.Inference;
using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Grains.Placement;
using Orleans.Concurrency;
using Microsoft.Extensions.Options;

namespace AnomalyNcd.Grains.Inference;

/// <summary>
/// Classifies crops with one model version (key: "line/version/slot"). The model is unpacked from its
/// checkpoint artefact and loaded once per activation. The grain is reentrant so that requests arriving
/// within <see cref="InferenceGrainOptions.BatchWindow"/> of each other queue up and run as one forward
/// on the thread pool; results are handed back to each caller in its crops' order.
/// </summary>
[AcceleratorPlacement]
[Reentrant]
public sealed class InferenceGrain : Grain, IInferenceGrain
{
    private readonly IArtefactStore artefacts;
    private readonly InferenceGrainOptions options;
    private readonly List<Pending> queue = [];
    private readonly SemaphoreSlim forward = new(1, 1);
    private Task<CropClassifier>? classifier;
    private string? loadedSha;
    private Task? flush;

    public InferenceGrain(IArtefactStore artefacts, IOptions<InferenceGrainOptions> options)
    {
        this.artefacts = artefacts;
        this.options = options.Value;
    }

    /// <summary>Forwards run so far (one per batch), for tests and metrics.</summary>
    internal int Forwards { get; private set; }

    public async Task<CropPrediction[]> ClassifyAsync(ModelVersion model, CropToClassify[] crops)
    {
        var key = this.GetPrimaryKeyString().Split('/');
        if (key.Length != 3 || key[0] != model.LineId || key[1] != model.Version)
        {
            throw RequestRejectedException.Invalid($"inference grain '{this.GetPrimaryKeyString()}' serves line/version/slot, not model {model.LineId}/{model.Version}");
        }

        if (crops.Length == 0)
        {
            return [];
        }

        var loaded = await LoadAsync(model);
        var pending = new Pending(model, crops, new TaskCompletionSource<CropPrediction[]>(TaskCreationOptions.RunContinuationsAsynchronously));
        queue.Add(pending);
        flush ??= FlushSoonAsync(loaded);
        return await pending.Result.Task;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (classifier is { IsCompletedSuccessfully: true } loaded)
        {
            loaded.Result.Dispose();
        }

        return Task.CompletedTask;
    }

    private Task<CropClassifier> LoadAsync(ModelVersion model)
    {
        if (classifier is not null && loadedSha == model.Checkpoint.Sha256 && !classifier.IsFaulted)
        {
            return classifier;
        }

        if (!artefacts.Exists(model.Checkpoint))
        {
            throw RequestRejectedException.NotFound($"model {model.Version}: checkpoint artefact {model.Checkpoint.Sha256} is not in the store");
        }

        loadedSha = model.Checkpoint.Sha256;
        var zipPath = artefacts.PathOf(model.Checkpoint);
        var folder = Path.Combine(options.DataFolder, "models", model.Checkpoint.Sha256);
        // Online assignment scores base (confirmed) classes too; discovery's novel-only parity is for its own crops.
        classifier = Task.Run(() => CropClassifier.Load(UnpackedArtefacts.Unpack(zipPath, folder), ClassifierScope.AllClasses));
        return classifier;
    }

    /// <summary>Waits out the batch window (in grain context), then classifies everything queued in forwards of at most MaxBatchCrops.</summary>
    private async Task FlushSoonAsync(CropClassifier loaded)
    {
        await Task.Delay(options.BatchWindow);
        while (queue.Count > 0)
        {
            var batch = new List<Pending>();
            var size = 0;
            while (queue.Count > 0 && (batch.Count == 0 || size + queue[0].Crops.Length <= options.MaxBatchCrops))
            {
                size += queue[0].Crops.Length;
                batch.Add(queue[0]);
                queue.RemoveAt(0);
            }

            await RunBatchAsync(loaded, batch);
        }

        flush = null;
    }

    private async Task RunBatchAsync(CropClassifier loaded, List<Pending> batch)
    {
        var files = batch.SelectMany(p => p.Crops).Select(c => (artefacts.PathOf(c.Crop), artefacts.PathOf(c.CropMask))).ToList();
        IReadOnlyList<CropClassification> results;
        await forward.WaitAsync();
        try
        {
            results = await Task.Run(() => loaded.ClassifyFiles(files, withEmbedding: true));
            Forwards++;
        }
        catch (Exception ex)
        {
            foreach (var pending in batch)
            {
                pending.Result.TrySetException(ex);
            }

            return;
        }
        finally
        {
            forward.Release();
        }

        // Each region's embedding is stored once (content-addressed) so operators can find similar regions later.
        var embeddings = await Task.WhenAll(results.Select(StoreEmbeddingAsync));
        var offset = 0;
        foreach (var pending in batch)
        {
            var classes = pending.Model.Classes.ToDictionary(c => c.HeadIndex);
            var predictions = new CropPrediction[pending.Crops.Length];
            for (var i = 0; i < predictions.Length; i++)
            {
                var result = results[offset + i];
                var probabilities = classes.Values.ToDictionary(c => c.ClassId, c => c.HeadIndex < result.Probabilities.Length ? result.Probabilities[c.HeadIndex] : 0.0, StringComparer.Ordinal);
                var classId = classes.TryGetValue(result.ClassIndex, out var modelClass) ? modelClass.ClassId : $"head-{result.ClassIndex}";
                predictions[i] = new CropPrediction(pending.Crops[i].Region, classId, result.Confidence, probabilities, embeddings[offset + i]);
            }

            offset += predictions.Length;
            pending.Result.TrySetResult(predictions);
        }
    }

    private async Task<ArtefactRef?> StoreEmbeddingAsync(CropClassification result) =>
        result.Embedding is { } vector
            ? await artefacts.PutDerivedAsync(EmbeddingVectors.Encode(vector), EmbeddingVectors.Kind, EmbeddingVectors.Extension)
            : null;

    private sealed record Pending(ModelVersion Model, CropToClassify[] Crops, TaskCompletionSource<CropPrediction[]> Result);
}
