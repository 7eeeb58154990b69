using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Core.Diagnostics;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Maps;
using AnomalyNcd.Core.Synthetic;
using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Grains.Processing;
using OpenCvSharp;

namespace AnomalyNcd.Cli.Bench;

/// <summary>
/// The per-image CPU of the ingest path without HTTP, grains or database: the upload validator's decode of image and map
/// (same Core readers), then <see cref="ImageProcessor.ProcessAsync"/> on the handed-over pixels with an in-memory store.
/// Single-threaded, so milliseconds per image are CPU milliseconds.
/// </summary>
internal static class BenchProcess
{
    private static readonly string[] ValidationStages = ["validate.hash", "validate.image", "validate.map"];

    public static int Run(CliContext context, int imageCount, int size, int repeats)
    {
        var folder = Path.Combine(Path.GetTempPath(), "anomalyncd-bench-process-" + Guid.NewGuid().ToString("N")[..8]);
        IReadOnlyList<(string Name, byte[] Image, string MapName, byte[] Map)> uploads;
        try
        {
            var summary = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: imageCount, Size: size, Seed: 11), folder);
            uploads = [.. summary.Images.Select(record => (
                Path.GetFileName(record.Row.Image),
                File.ReadAllBytes(Path.Combine(summary.Folder, record.Row.Image)),
                Path.GetFileName(record.Row.AnomalyMap!),
                File.ReadAllBytes(Path.Combine(summary.Folder, record.Row.AnomalyMap!))))];
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        var openCvThreads = Cv2.GetNumThreads();
        Cv2.SetNumThreads(1);
        try
        {
            var store = new MemoryStore();
            using var decoded = new DecodedUploads();
            var processor = new ImageProcessor(store, ImageProcessingOptions.Default, decoded);
            var own = new Dictionary<string, long>(StringComparer.Ordinal);

            // warm-up pass (JIT, OpenCV, thread-local buffers), not timed
            RunPass(uploads, processor, decoded, own);
            using var stages = new StageReader(IngestMetrics.Stages);
            own.Clear();
            store.Reset();
            var gcBefore = GC.CollectionCount(0);
            var gen2Before = GC.CollectionCount(2);
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            for (var r = 0; r < repeats; r++)
            {
                RunPass(uploads, processor, decoded, own);
            }

            var elapsed = watch.Elapsed;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            var images = (double)uploads.Count * repeats;
            var output = context.Out;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"process benchmark: {uploads.Count} synthetic {size}x{size} uploads (8-bit PNG maps), {repeats} pass(es), 1 thread, OpenCV single-threaded"));
            foreach (var stage in ValidationStages)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stage,-20} {Stopwatch.GetElapsedTime(0, own[stage]).TotalMilliseconds / images,7:F3} ms/image"));
            }

            foreach (var (stage, calls, total) in stages.Snapshot())
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stage,-20} {total.TotalMilliseconds / images,7:F3} ms/image ({calls} calls)"));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  total                {elapsed.TotalMilliseconds / images,7:F3} ms/image wall, {cpu.TotalMilliseconds / images:F3} ms/image CPU, {allocated / images / 1024:F0} KiB allocated/image, {GC.CollectionCount(0) - gcBefore} gen0 / {GC.CollectionCount(2) - gen2Before} gen2 GCs"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  derived PNGs         {store.Bytes / images / 1024:F1} KiB/image in {store.Puts / images:F1} files/image"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{images / elapsed.TotalSeconds:F0} images/s (processing only, 1 thread)"));
            return AnomalyNcdCli.ExitOk;
        }
        finally
        {
            Cv2.SetNumThreads(openCvThreads);
        }
    }

    private static void RunPass(
        IReadOnlyList<(string Name, byte[] Image, string MapName, byte[] Map)> uploads,
        ImageProcessor processor,
        DecodedUploads decoded,
        Dictionary<string, long> own)
    {
        foreach (var (name, imageBytes, mapName, mapBytes) in uploads)
        {
            // What UploadValidator does per upload: hash both files, decode the image unchanged (kept as RGB), read the map.
            var stage = Stopwatch.GetTimestamp();
            var imageSha = Convert.ToHexStringLower(SHA256.HashData(imageBytes));
            var mapSha = Convert.ToHexStringLower(SHA256.HashData(mapBytes));
            Add(own, "validate.hash", stage);
            stage = Stopwatch.GetTimestamp();
            var rgb = new Mat();
            int width, height;
            using (var unchanged = ImageFiles.Decode(imageBytes, name, ImreadModes.Unchanged))
            {
                Cv2.CvtColor(unchanged, rgb, unchanged.Channels() == 1 ? ColorConversionCodes.GRAY2RGB : ColorConversionCodes.BGR2RGB);
                (width, height) = (unchanged.Width, unchanged.Height);
            }

            Add(own, "validate.image", stage);
            stage = Stopwatch.GetTimestamp();
            var map = AnomalyMapFile.Read(mapBytes, mapName);
            Add(own, "validate.map", stage);
            decoded.Put(imageSha, mapSha, rgb, map);

            var submission = new ImageSubmission(
                new ArtefactRef(imageSha, "image", "png", imageBytes.Length),
                new ArtefactRef(mapSha, "map", "png", mapBytes.Length),
                width,
                height,
                name,
                null);
            processor.ProcessAsync("bench", name, submission, 0f, 255f).GetAwaiter().GetResult();
        }
    }

    private static void Add(Dictionary<string, long> totals, string stage, long start) =>
        totals[stage] = totals.GetValueOrDefault(stage) + (Stopwatch.GetTimestamp() - start);

    /// <summary>Keeps nothing: counts the derived bytes and names them by a cheap content hash, so no disk I/O is timed.</summary>
    private sealed class MemoryStore : IArtefactStore
    {
        public long Bytes { get; private set; }

        public long Puts { get; private set; }

        public void Reset() => (Bytes, Puts) = (0, 0);

        public Task<ArtefactRef> PutAsync(ReadOnlyMemory<byte> bytes, string kind, string extension, CancellationToken cancellationToken = default) =>
            PutDerivedAsync(bytes, kind, extension, cancellationToken);

        public Task<ArtefactRef> PutDerivedAsync(ReadOnlyMemory<byte> bytes, string kind, string extension, CancellationToken cancellationToken = default)
        {
            Bytes += bytes.Length;
            Puts++;
            return Task.FromResult(new ArtefactRef(Puts.ToString("x64", CultureInfo.InvariantCulture), kind, extension, bytes.Length));
        }

        public Task<ArtefactRef> PutAsync(Stream content, string kind, string extension, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<byte[]> ReadAllBytesAsync(ArtefactRef artefact, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public bool Exists(ArtefactRef artefact) => false;

        public string PathOf(ArtefactRef artefact) => throw new NotSupportedException("the process benchmark keeps nothing on disk");
    }
}
