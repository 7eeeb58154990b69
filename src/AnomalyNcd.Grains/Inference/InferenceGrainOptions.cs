namespace AnomalyNcd.Grains.Inference;

/// <summary>Where unpacked models are cached and how long concurrent requests wait to share one forward.</summary>
public sealed class InferenceGrainOptions
{
    /// <summary>Data folder; model checkpoints are unpacked once to <c>DataFolder/models/&lt;sha256&gt;/</c>.</summary>
    public string DataFolder { get; set; } = Path.Combine(Path.GetTempPath(), "anomalyncd");

    /// <summary>Requests arriving within this window after the first one run as one batch.</summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Largest number of crops in one forward; a larger queue is split.</summary>
    public int MaxBatchCrops { get; set; } = 64;
}
