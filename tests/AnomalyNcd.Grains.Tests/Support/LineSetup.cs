using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;

namespace AnomalyNcd.Grains.Tests.Support;

/// <summary>Lines and models as the tests need them (a line calibrated to the synthetic picture's [0, 1] maps).</summary>
public static class LineSetup
{
    public static readonly LineSettings Calibrated = new(0f, 1f, null, null, "test line");

    public static async Task<IProductLineGrain> CreateAsync(IClusterClient client, string lineId, LineSettings? settings = null)
    {
        var line = client.GetGrain<IProductLineGrain>(lineId);
        await line.CreateAsync(settings ?? Calibrated);
        return line;
    }

    /// <summary>A model whose two heads are the fake inference grain's classes.</summary>
    public static ModelVersion Model(string lineId, string version = "v1") => new(
        version,
        lineId,
        new ArtefactRef(new string('a', 64), "checkpoint", "bin", 1),
        [new ModelClass(0, FakeInferenceGrain.Large, null, false, 0), new ModelClass(1, FakeInferenceGrain.Small, null, false, 0)],
        0,
        null,
        null,
        null,
        DateTimeOffset.UtcNow,
        null,
        null);

    public static async Task<ModelVersion> RegisterAndPromoteAsync(IProductLineGrain line, string lineId, string version = "v1")
    {
        await line.RegisterModelAsync(Model(lineId, version));
        return await line.PromoteAsync(version, "tester");
    }
}
