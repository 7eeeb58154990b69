using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Grains.Lines;
using Orleans.Storage;

namespace AnomalyNcd.Grains.Tests.Lines;

/// <summary>A line's state, records, catalogue and ledger without a cluster: the plain classes the line grain runs on.</summary>
internal sealed class LedgerWorld
{
    public const string LineId = "plain";

    private static readonly ArtefactRef Png = new(new string('b', 64), "crop", "png", 10);

    public LedgerWorld()
    {
        Records = new LineImageRecords(new NoStorage(), GrainId.Create("line", LineId));
        Catalogue = new ClassCatalogue(State, LineId);
        Ledger = new ImageLedger(State, Records, Catalogue, LineId);
    }

    public ProductLineState State { get; } = new() { Created = true };

    public LineImageRecords Records { get; }

    public ClassCatalogue Catalogue { get; }

    public ImageLedger Ledger { get; }

    public static DateTimeOffset Now { get; } = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Records an image whose regions have these classes (null = unclassified) and confidences.</summary>
    public bool Record(string imageId, params (string? ClassId, double Confidence)[] regions) =>
        Ledger.Record(Result(imageId, regions), Now);

    public static ImageResult Result(string imageId, params (string? ClassId, double Confidence)[] regions) => new(
        LineId,
        imageId,
        regions.Length == 0 ? ImageStatus.NoAnomaly : ImageStatus.Classified,
        Png,
        null,
        null,
        64,
        64,
        [.. regions.Select((r, i) => new RegionResult(new RegionKey(LineId, imageId, i), new RegionBox(0, 0, 10, 10), 50, 0.9, Png, Png, null, r.ClassId, r.Confidence, "v1", null))],
        null,
        null,
        Now,
        Now,
        1.0);

    /// <summary>These tests never write: the ledger keeps its records in memory until the grain's write.</summary>
    private sealed class NoStorage : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new NotSupportedException();

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new NotSupportedException();

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new NotSupportedException();
    }
}
