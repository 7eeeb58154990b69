using AnomalyNcd.Contracts.Inference;
using AnomalyNcd.Contracts.Training;

namespace AnomalyNcd.Grains.Tests.Support;

/// <summary>
/// A deterministic stand-in for the inference pool, registered only in this test project: the real
/// IInferenceGrain (model loading, batching, accelerator placement) is written on another branch.
/// Crops of at least <see cref="LargeArea"/> foreground pixels are "large" with p = 0.9, others "small" with p = 0.7.
/// </summary>
public sealed class FakeInferenceGrain : Grain, IInferenceGrain
{
    public const int LargeArea = 250;
    public const string Large = "large";
    public const string Small = "small";

    private static int calls;

    /// <summary>Calls over all activations, so a test can see that classification went through the pool.</summary>
    public static int Calls => Volatile.Read(ref calls);

    public static Dictionary<string, double> Distribution(int area) =>
        area >= LargeArea
            ? new() { [Large] = 0.9, [Small] = 0.1 }
            : new() { [Large] = 0.3, [Small] = 0.7 };

    public Task<CropPrediction[]> ClassifyAsync(ModelVersion model, CropToClassify[] crops)
    {
        Interlocked.Increment(ref calls);
        var predictions = crops.Select(c =>
        {
            var distribution = Distribution(c.Area);
            var best = distribution.MaxBy(e => e.Value);
            return new CropPrediction(c.Region, best.Key, best.Value, distribution, null);
        }).ToArray();
        return Task.FromResult(predictions);
    }
}
