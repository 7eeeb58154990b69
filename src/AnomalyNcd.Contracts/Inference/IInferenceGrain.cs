using AnomalyNcd.Contracts.Training;

namespace AnomalyNcd.Contracts.Inference;

/// <summary>
/// Classifies crops with one model version (key: "line/version/slot"; several slots form the pool).
/// Keeps the model loaded while active; requests arriving together are run as one batch.
/// Placed only on silos that advertise an accelerator.
/// </summary>
[Alias("anomalyncd.IInferenceGrain")]
public interface IInferenceGrain : IGrainWithStringKey
{
    [Alias("Classify")] Task<CropPrediction[]> ClassifyAsync(ModelVersion model, CropToClassify[] crops);
}
