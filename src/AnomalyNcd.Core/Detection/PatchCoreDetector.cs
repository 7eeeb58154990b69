using System.Runtime.InteropServices;
using System.Text.Json;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Features;
using OpenCvSharp;

namespace AnomalyNcd.Core.Detection;

/// <summary>
/// The built-in anomaly detector, after PatchCore (Roth et al., CVPR 2022): a memory bank of locally aggregated
/// ResNet18 patch features of normal images, thinned by greedy coreset selection; a patch's anomaly score is the
/// distance to its nearest bank vector. The 28×28 score grid is upsampled bilinearly to the image's own size and
/// smoothed with a Gaussian (σ = 4 px by default); the image score is the maximum of that map.
/// </summary>
/// <remarks>Saved as a folder: <c>detector.json</c> (<see cref="DetectorMetadata"/>, written last) and the bank file.</remarks>
public sealed class PatchCoreDetector : IDisposable
{
    public const string MetadataFileName = "detector.json";

    /// <summary>Images extracted together before one nearest-neighbour pass.</summary>
    private const int BatchImages = 16;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private readonly float[] bank;
    private readonly INearestNeighbourSearch search;

    private PatchCoreDetector(DetectorMetadata metadata, float[] bank, NearestNeighbourMode searchMode)
    {
        Metadata = metadata;
        this.bank = bank;
        search = NearestNeighbourSearch.Create(bank, metadata.Dimension, searchMode);
    }

    public DetectorMetadata Metadata { get; }

    /// <summary>Held-out normal scores learnt at fit time (<see cref="NormalCalibration"/>); null for detectors without one.</summary>
    public NormalCalibration? Calibration { get; private set; }

    /// <summary>How patch distances to the bank are computed when scoring.</summary>
    public NearestNeighbourMode SearchMode => search.Mode;

    /// <summary>Builds the memory bank from normal images (paths of readable image files).</summary>
    public static PatchCoreDetector Fit(
        IReadOnlyList<string> normalImages,
        string? line,
        PatchFeatureExtractor extractor,
        PatchCoreOptions? options = null,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(normalImages);
        ArgumentNullException.ThrowIfNull(extractor);
        options ??= new PatchCoreOptions();
        options.Validate();
        if (normalImages.Count == 0)
        {
            throw new InvalidInputException(null, $"no normal training images{(line is null ? "" : $" for line '{line}'")} to fit a detector on");
        }

        if (extractor.Precision != options.Precision)
        {
            throw new ArgumentException($"The options ask for a {options.Precision.Name()} backbone, the extractor runs {extractor.Precision.Name()} (use PatchFeatureExtractor.ForFitting).", nameof(extractor));
        }

        var extracted = ParallelWork.Map(normalImages.Count, i => extractor.ExtractFile(normalImages[i]), "features", progress, cancellationToken, options.MaxDegreeOfParallelism);
        // Each bank row remembers its image, so that calibration can leave an image's own rows out.
        var imageOfPatch = extracted.SelectMany((e, i) => Enumerable.Repeat(i, e.Count)).ToArray();
        var perImage = extracted.Select(e => e.Patches).ToArray();
        var dimension = extractor.Dimension;
        var all = new float[perImage.Sum(p => (long)p.Length)];
        var offset = 0;
        foreach (var patches in perImage)
        {
            patches.CopyTo(all, offset);
            offset += patches.Length;
        }

        var totalPatches = all.Length / dimension;
        var keep = Math.Max(1, (int)Math.Ceiling(totalPatches * options.CoresetFraction));
        float[] bank;
        int[] origins;
        double radius = 0;
        if (keep >= totalPatches)
        {
            bank = all;
            origins = imageOfPatch;
        }
        else
        {
            (var indices, radius) = GreedyCoreset.Select(all, dimension, keep, options.ProjectionDimension, options.Seed, progress, cancellationToken);
            bank = new float[indices.Length * dimension];
            for (var k = 0; k < indices.Length; k++)
            {
                Array.Copy(all, (long)indices[k] * dimension, bank, (long)k * dimension, dimension);
            }

            origins = [.. indices.Select(r => imageOfPatch[r])];
        }

        var metadata = new DetectorMetadata
        {
            Line = line,
            Precision = extractor.Precision.Name(),
            Int8Ranges = extractor.Int8Ranges,
            Stages = PatchFeatureExtractor.Stages.Select(s => s.ToString()).ToList(),
            Layout = extractor.Layout.Name(),
            InputSize = ResNet18Features.InputSize,
            GridSize = PatchFeatureExtractor.GridSize,
            Neighbourhood = PatchFeatureExtractor.NeighbourhoodSize,
            Dimension = dimension,
            BankSize = bank.Length / dimension,
            FittedImages = normalImages.Count,
            TrainingPatches = totalPatches,
            CoresetFraction = options.CoresetFraction,
            ProjectionDimension = options.ProjectionDimension,
            Seed = options.Seed,
            SmoothingSigma = options.SmoothingSigma,
            CoveringRadius = radius,
        };
        var detector = new PatchCoreDetector(metadata, bank, options.Search);
        detector.Calibration = NormalCalibrator.Calibrate(detector, bank, extracted, origins, options.CalibrationNormals, progress, cancellationToken);
        return detector;
    }

    /// <summary>
    /// Scores images in batches; <paramref name="onMap"/> receives each map (image index, map) as soon as it is
    /// ready, possibly from several threads, so that maps need not all be held in memory.
    /// </summary>
    public void Score(
        IReadOnlyList<string> images,
        PatchFeatureExtractor extractor,
        Action<int, AnomalyMap> onMap,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default,
        int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(onMap);
        CheckCompatible(extractor);
        var done = 0;
        for (var start = 0; start < images.Count; start += BatchImages)
        {
            var count = Math.Min(BatchImages, images.Count - start);
            var extracted = ParallelWork.Map(count, i => extractor.ExtractFile(images[start + i]), "features", null, cancellationToken, maxDegreeOfParallelism);
            var offsets = new int[count + 1];
            for (var i = 0; i < count; i++)
            {
                offsets[i + 1] = offsets[i] + extracted[i].Count;
            }

            var queries = new float[(long)offsets[count] * Metadata.Dimension];
            for (var i = 0; i < count; i++)
            {
                extracted[i].Patches.CopyTo(queries, (long)offsets[i] * Metadata.Dimension);
            }

            var distances = search.Distances(queries, maxDegreeOfParallelism < 0 ? Environment.ProcessorCount : maxDegreeOfParallelism);
            var batchStart = start;
            ParallelWork.Map(count, i =>
            {
                var map = Finish(distances.AsSpan(offsets[i], extracted[i].Count), extracted[i]);
                onMap(batchStart + i, map);
                progress?.Report(new ProgressUpdate("score", Interlocked.Increment(ref done), images.Count));
                return true;
            }, "maps", null, cancellationToken, maxDegreeOfParallelism);
        }
    }

    /// <summary>Scores images and returns all maps in input order.</summary>
    public AnomalyMap[] Score(IReadOnlyList<string> images, PatchFeatureExtractor extractor, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        var maps = new AnomalyMap[images.Count];
        Score(images, extractor, (i, map) => maps[i] = map, progress, cancellationToken);
        return maps;
    }

    /// <summary>
    /// Scores one image on the calling thread (the low-latency path for streamed images); each step's time goes to
    /// <see cref="ScoringMetrics"/>.
    /// </summary>
    public AnomalyMap ScoreImage(string image, PatchFeatureExtractor extractor)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(extractor);
        CheckCompatible(extractor);
        var patches = extractor.ExtractFile(image);
        float[] distances;
        using (ScoringMetrics.Measure(ScoringStage.NearestNeighbour))
        {
            distances = search.Distances(patches.Patches);
        }

        using (ScoringMetrics.Measure(ScoringStage.Map))
        {
            return Finish(distances, patches);
        }
    }

    /// <summary>Nearest-bank-vector distances of patches ([patches, Dimension]) on the calling thread (for benchmarks).</summary>
    public float[] SearchDistances(float[] patches) => search.Distances(patches);

    /// <summary>Upsamples an image's grid of patch distances to the image's size and smooths it.</summary>
    internal AnomalyMap Finish(ReadOnlySpan<float> patchDistances, ImagePatches geometry)
    {
        var values = Render(patchDistances, geometry.Columns, geometry.Rows, Metadata.SmoothingSigma, geometry.CoveredWidth, geometry.CoveredHeight, geometry.Width, geometry.Height);
        var score = float.MinValue;
        foreach (var v in values)
        {
            score = Math.Max(score, v);
        }

        return new AnomalyMap(geometry.Width, geometry.Height, values, score);
    }

    /// <summary>
    /// A columns×rows field of values drawn over coveredWidth×coveredHeight pixels (bilinear upsampling, then a Gaussian
    /// of σ px) and cut to its top-left width×height. Every step is linear, so rendering a difference of two grids
    /// equals the difference of their renderings.
    /// </summary>
    public static float[] Render(ReadOnlySpan<float> cells, int columns, int rows, double sigma, int coveredWidth, int coveredHeight, int width, int height)
    {
        using var small = Mat.FromPixelData(rows, columns, MatType.CV_32FC1, cells.ToArray());
        using var covered = new Mat();
        Cv2.Resize(small, covered, new Size(coveredWidth, coveredHeight), interpolation: InterpolationFlags.Linear);
        using var cut = coveredWidth == width && coveredHeight == height ? null : CutTopLeft(covered, width, height);
        var full = cut ?? covered;
        if (sigma > 0)
        {
            // Kernel reaching ±4σ, the usual PatchCore choice (33×33 at σ = 4).
            var kernel = 2 * (int)(4 * sigma + 0.5) + 1;
            Cv2.GaussianBlur(full, full, new Size(kernel, kernel), sigma, sigma, BorderTypes.Reflect101);
        }

        var values = new float[width * height];
        using (var contiguous = full.IsContinuous() ? full : full.Clone())
        {
            Marshal.Copy(contiguous.Data, values, 0, values.Length);
        }

        return values;
    }

    private static Mat CutTopLeft(Mat source, int width, int height)
    {
        using var region = new Mat(source, new Rect(0, 0, width, height));
        return region.Clone();
    }

    /// <summary>
    /// Removes an earlier <c>detector.json</c>, writes the bank, then the JSON: a folder with the JSON is complete, and
    /// an interrupted save never pairs old metadata with a new bank.
    /// </summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        File.Delete(Path.Combine(folder, MetadataFileName));
        File.Delete(Path.Combine(folder, NormalCalibration.FileName));
        AtomicFile.WriteAllBytes(Path.Combine(folder, Metadata.BankFile), MemoryMarshal.AsBytes(bank.AsSpan()));
        Calibration?.Save(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, MetadataFileName), JsonSerializer.Serialize(Metadata, JsonOptions));
    }

    /// <summary>
    /// Loads a detector folder (or its <c>detector.json</c>). Refuses another format version, a damaged bank, and —
    /// when <paramref name="expectedLine"/> is given — a detector fitted on another line.
    /// </summary>
    /// <param name="searchMode">How patch distances are computed when scoring (not stored in the detector).</param>
    public static PatchCoreDetector Load(string path, string? expectedLine = null, NearestNeighbourMode searchMode = PatchCoreOptions.DefaultSearch)
    {
        var metadataPath = Directory.Exists(path) ? Path.Combine(path, MetadataFileName) : path;
        if (!File.Exists(metadataPath))
        {
            throw new InvalidInputException(metadataPath, "detector file does not exist (expected a folder written by 'detect fit')");
        }

        DetectorMetadata metadata;
        try
        {
            metadata = JsonSerializer.Deserialize<DetectorMetadata>(File.ReadAllText(metadataPath), JsonOptions)
                ?? throw new InvalidInputException(metadataPath, "detector file is empty");
        }
        catch (JsonException ex)
        {
            throw new InvalidInputException(metadataPath, $"not a detector file ({ex.Message})", ex);
        }

        if (metadata.FormatVersion != DetectorMetadata.CurrentFormatVersion)
        {
            throw new InvalidInputException(metadataPath, $"detector format version {metadata.FormatVersion}, this program reads version {DetectorMetadata.CurrentFormatVersion}; fit it again");
        }

        if (expectedLine is not null && !string.Equals(metadata.Line, expectedLine, StringComparison.Ordinal))
        {
            throw new InvalidInputException(metadataPath, $"detector was fitted on line '{metadata.Line ?? "(all lines)"}', not on the requested line '{expectedLine}'");
        }

        BackbonePrecisionNames.Parse(metadata.Precision, metadataPath);
        if (metadata.Precision == BackbonePrecision.Int8.Name() && (metadata.Int8Ranges is null || metadata.Int8Ranges.Count == 0))
        {
            throw new InvalidInputException(metadataPath, "int8 detector has no calibrated activation ranges (int8Ranges); fit it again");
        }

        if (metadata.Dimension <= 0 || metadata.BankSize <= 0 || metadata.GridSize <= 0 || Path.GetFileName(metadata.BankFile) != metadata.BankFile)
        {
            throw new InvalidInputException(metadataPath, "detector metadata has an empty bank or invalid sizes");
        }

        var bankPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(metadataPath))!, metadata.BankFile);
        if (!File.Exists(bankPath))
        {
            throw new InvalidInputException(bankPath, "detector bank file does not exist");
        }

        var bytes = File.ReadAllBytes(bankPath);
        var expected = (long)metadata.BankSize * metadata.Dimension * sizeof(float);
        if (bytes.Length != expected)
        {
            throw new InvalidInputException(bankPath, $"bank file has {bytes.Length} bytes, expected {expected} ({metadata.BankSize} × {metadata.Dimension} float32)");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(metadataPath))!;
        return new PatchCoreDetector(metadata, MemoryMarshal.Cast<byte, float>(bytes).ToArray(), searchMode)
        {
            Calibration = File.Exists(Path.Combine(folder, NormalCalibration.FileName)) ? NormalCalibration.Load(folder) : null,
        };
    }

    public void Dispose() => search.Dispose();

    private static bool SameRanges(IReadOnlyDictionary<string, ActivationRange>? a, IReadOnlyDictionary<string, ActivationRange>? b) =>
        a is not null && b is not null && a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var r) && r == p.Value);

    private void CheckCompatible(PatchFeatureExtractor extractor)
    {
        if (extractor.Precision.Name() != Metadata.Precision)
        {
            throw new InvalidInputException(null, $"detector was fitted with the {Metadata.Precision} backbone, but features come from the {extractor.Precision.Name()} backbone; score with the precision it was fitted with (PatchFeatureExtractor.ForDetector) or fit it again with --precision {extractor.Precision.Name()}");
        }

        if (extractor.Precision == BackbonePrecision.Int8 && !SameRanges(extractor.Int8Ranges, Metadata.Int8Ranges))
        {
            throw new InvalidInputException(null, "detector was fitted with an int8 backbone calibrated differently from this extractor's; score with PatchFeatureExtractor.ForDetector");
        }

        if (extractor.Layout.Name() != (Metadata.Layout ?? PatchLayout.Squash.Name()))
        {
            throw new InvalidInputException(null, $"detector was fitted with the {Metadata.Layout ?? "squash"} patch layout, the extractor uses {extractor.Layout.Name()}; score with PatchFeatureExtractor.ForDetector");
        }

        if (extractor.Dimension != Metadata.Dimension || Metadata.GridSize != PatchFeatureExtractor.GridSize)
        {
            throw new InvalidOperationException($"Detector expects {Metadata.Dimension}-d patches on a {Metadata.GridSize}² grid, the extractor gives {extractor.Dimension}-d on {PatchFeatureExtractor.GridSize}².");
        }
    }
}
