namespace AnomalyNcd.Grains.Lines;

/// <summary>
/// One stored slice of a line's per-image records: up to <see cref="LineImageRecords.ChunkSize"/> images in the
/// order they were first recorded. Chunk n holds images n·size … (n+1)·size − 1 of the line, so a new image
/// rewrites only the last chunk, never the whole history.
/// </summary>
[GenerateSerializer, Alias("anomalyncd.LineImageChunk")]
public sealed class LineImageChunk
{
    [Id(0)] public List<RecordedImage> Images { get; set; } = [];
}
