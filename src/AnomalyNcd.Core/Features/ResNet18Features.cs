using AnomalyNcd.Core.Features.Onnx;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace AnomalyNcd.Core.Features;

/// <summary>
/// Intermediate stage maps of the ImageNet-pretrained ResNet18 shipped as ONNX in the NuGet package
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 (a CNTK export, opset 8, fixed batch of 1), run with ONNX Runtime on the CPU.
/// </summary>
/// <remarks>
/// <para>Input contract: a 224×224 crop in <b>RGB</b> order with values in 0..255 — either an 8-bit 3-channel
/// <see cref="Mat"/> (CV_8UC3, RGB as returned by <c>ImageFiles.ReadRgb</c>, not OpenCV's default BGR) or floats laid
/// out channel-major [3, 224, 224] (R plane, then G, then B). Crops are not resized here.</para>
/// <para>Normalisation (done by the package's <c>ResNetPreprocess.onnx</c>, input <c>OriginalInput</c>
/// [1,3,224,224] → output <c>PreprocessedInput</c> [1,3,224,224]): the channels are reordered to <b>BGR</b> and a
/// per-pixel mean image is subtracted (its channel averages are about B 103.1, G 115.9, R 123.2); there is no
/// division by a standard deviation and no scaling to 0..1. The result feeds ResNet18's <c>Input247</c>.</para>
/// <para>Output contract: for each requested <see cref="ResNetStage"/> the activation after the last ReLU of that
/// stage, float32, channel-major [C, H, W] (Layer1 64×56×56, Layer2 128×28×28, Layer3 256×14×14, Layer4 512×7×7);
/// values are non-negative. The model's own pooled output is not computed unless Layer4 is requested.</para>
/// <para>Threading: the ONNX files are read and the sessions created once, in the constructor. Extract methods may
/// be called from several threads at once (ONNX Runtime sessions allow concurrent runs); with the default
/// <see cref="ResNet18Options.IntraOpNumThreads"/> of 1 each call uses one core, so parallel callers scale.
/// Do not call <see cref="Dispose"/> while an extraction is running.</para>
/// </remarks>
public sealed class ResNet18Features : IDisposable
{
    public const int InputSize = 224;
    public const int InputChannels = 3;
    public const string NetworkFile = "ResNet18Onnx/ResNet18.onnx";
    public const string PreprocessFile = "ResNetPrepOnnx/ResNetPreprocess.onnx";

    private static readonly long[] InputShape = [1, InputChannels, InputSize, InputSize];

    private readonly SessionOptions sessionOptions;
    private readonly InferenceSession preprocess;
    private readonly InferenceSession network;
    private readonly string preprocessInput;
    private readonly string preprocessOutput;
    private readonly string networkInput;
    private readonly string[] stageOutputs;
    private bool disposed;

    /// <param name="stages">Stages to return; at least one.</param>
    /// <param name="options">Model folder and threading; defaults when null.</param>
    /// <exception cref="FileNotFoundException">An ONNX file is missing from the model folder.</exception>
    public ResNet18Features(IEnumerable<ResNetStage> stages, ResNet18Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(stages);
        options ??= new ResNet18Options();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.IntraOpNumThreads);
        Stages = stages.Distinct().Order().ToArray();
        if (Stages.Count == 0)
        {
            throw new ArgumentException("Request at least one ResNet stage.", nameof(stages));
        }

        stageOutputs = Stages.Select(s => s.OutputName()).ToArray();
        var networkBytes = ReadModel(options.ModelFolder, NetworkFile);
        var preprocessBytes = ReadModel(options.ModelFolder, PreprocessFile);

        sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpNumThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        try
        {
            preprocess = new InferenceSession(preprocessBytes, sessionOptions);
            network = new InferenceSession(NetworkModel(networkBytes, stageOutputs, options), sessionOptions);
        }
        catch
        {
            preprocess?.Dispose();
            sessionOptions.Dispose();
            throw;
        }

        preprocessInput = preprocess.InputMetadata.Keys.Single();
        preprocessOutput = preprocess.OutputMetadata.Keys.Single();
        networkInput = network.InputMetadata.Keys.Single();
    }

    /// <summary>The stages each extraction returns, shallowest first.</summary>
    public IReadOnlyList<ResNetStage> Stages { get; }

    /// <summary>Stage maps of one 224×224 RGB crop (CV_8UC3, RGB order).</summary>
    public CropFeatures Extract(Mat rgbCrop) => Extract(ToPlanarRgb(rgbCrop));

    /// <summary>Stage maps of each crop, in order. The model has a fixed batch of 1, so crops run one after another.</summary>
    public IReadOnlyList<CropFeatures> Extract(IReadOnlyList<Mat> rgbCrops)
    {
        ArgumentNullException.ThrowIfNull(rgbCrops);
        return rgbCrops.Select(Extract).ToList();
    }

    /// <summary>Stage maps of one crop given as floats, channel-major [3, 224, 224], RGB, values 0..255.</summary>
    public CropFeatures Extract(ReadOnlySpan<float> planarRgb)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        const int expected = InputChannels * InputSize * InputSize;
        if (planarRgb.Length != expected)
        {
            throw new ArgumentException($"Expected {expected} floats ([3, {InputSize}, {InputSize}] RGB), got {planarRgb.Length}.", nameof(planarRgb));
        }

        using var runOptions = new RunOptions();
        using var input = OrtValue.CreateTensorValueFromMemory(planarRgb.ToArray(), InputShape);
        using var prepared = preprocess.Run(runOptions, [preprocessInput], [input], [preprocessOutput]);
        using var outputs = network.Run(runOptions, [networkInput], [prepared[0]], stageOutputs);

        var maps = new Dictionary<ResNetStage, FeatureMap>();
        for (var i = 0; i < Stages.Count; i++)
        {
            var stage = Stages[i];
            var shape = outputs[i].GetTensorTypeAndShape().Shape;
            if (shape is not [1, var c, var h, var w] || c != stage.Channels() || h != stage.Size() || w != stage.Size())
            {
                throw new InvalidOperationException($"ResNet18 stage {stage} returned shape [{string.Join(",", shape)}], expected [1,{stage.Channels()},{stage.Size()},{stage.Size()}].");
            }

            maps[stage] = new FeatureMap((int)shape[1], (int)shape[2], (int)shape[3], outputs[i].GetTensorDataAsSpan<float>().ToArray());
        }

        return new CropFeatures(maps);
    }

    /// <summary>Converts a CV_8UC3 224×224 RGB crop to channel-major floats [3, 224, 224], RGB, 0..255.</summary>
    public static float[] ToPlanarRgb(Mat rgbCrop)
    {
        ArgumentNullException.ThrowIfNull(rgbCrop);
        if (rgbCrop.Type() != MatType.CV_8UC3 || rgbCrop.Width != InputSize || rgbCrop.Height != InputSize)
        {
            throw new ArgumentException($"Expected a {InputSize}×{InputSize} CV_8UC3 RGB crop, got {rgbCrop.Width}×{rgbCrop.Height} {rgbCrop.Type()}.", nameof(rgbCrop));
        }

        const int plane = InputSize * InputSize;
        var planar = new float[InputChannels * plane];
        unsafe
        {
            for (var y = 0; y < InputSize; y++)
            {
                var row = (byte*)rgbCrop.Ptr(y);
                var offset = y * InputSize;
                for (var x = 0; x < InputSize; x++)
                {
                    planar[offset + x] = row[3 * x];
                    planar[plane + offset + x] = row[3 * x + 1];
                    planar[2 * plane + offset + x] = row[3 * x + 2];
                }
            }
        }

        return planar;
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        network.Dispose();
        preprocess.Dispose();
        sessionOptions.Dispose();
    }

    /// <summary>
    /// Activation ranges of every tensor the int8 rewrite of the network up to <paramref name="stages"/> quantises,
    /// observed by running the float model on <paramref name="planarRgbCrops"/> (each [3, 224, 224], RGB, 0..255).
    /// </summary>
    public static IReadOnlyDictionary<string, ActivationRange> CalibrateInt8(IEnumerable<float[]> planarRgbCrops, IEnumerable<ResNetStage> stages, ResNet18Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(planarRgbCrops);
        ArgumentNullException.ThrowIfNull(stages);
        options ??= new ResNet18Options();
        var outputs = stages.Distinct().Order().Select(s => s.OutputName()).ToArray();
        var networkBytes = ReadModel(options.ModelFolder, NetworkFile);
        var tensors = OnnxInt8Quantizer.CalibrationTensors(networkBytes, outputs).ToArray();
        var inputName = OnnxInt8Quantizer.InputName(networkBytes);
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = options.IntraOpNumThreads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var preprocess = new InferenceSession(ReadModel(options.ModelFolder, PreprocessFile), sessionOptions);
        using var network = new InferenceSession(OnnxGraphOutputs.WithOutputs(networkBytes, tensors, keepExisting: false), sessionOptions);
        var ranges = new Dictionary<string, ActivationRange>(StringComparer.Ordinal);
        using var runOptions = new RunOptions();
        var count = 0;
        foreach (var crop in planarRgbCrops)
        {
            using var input = OrtValue.CreateTensorValueFromMemory(crop, InputShape);
            using var prepared = preprocess.Run(runOptions, [preprocess.InputMetadata.Keys.Single()], [input], [preprocess.OutputMetadata.Keys.Single()]);
            Observe(inputName, prepared[0].GetTensorDataAsSpan<float>());
            using var values = network.Run(runOptions, [inputName], [prepared[0]], tensors);
            for (var i = 0; i < tensors.Length; i++)
            {
                Observe(tensors[i], values[i].GetTensorDataAsSpan<float>());
            }

            count++;
        }

        return count > 0 ? ranges : throw new ArgumentException("Calibration needs at least one image.", nameof(planarRgbCrops));

        void Observe(string name, ReadOnlySpan<float> data)
        {
            var min = float.PositiveInfinity;
            var max = float.NegativeInfinity;
            foreach (var v in data)
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }

            ranges[name] = ranges.TryGetValue(name, out var range) ? range.Include(min, max) : new ActivationRange(min, max);
        }
    }

    private static byte[] NetworkModel(byte[] networkBytes, string[] outputs, ResNet18Options options)
    {
        if (options.Precision == BackbonePrecision.Fp32)
        {
            // Only the requested stages are declared as outputs, so layers past the deepest one are pruned.
            return OnnxGraphOutputs.WithOutputs(networkBytes, outputs, keepExisting: false);
        }

        var ranges = options.Int8Ranges ?? throw new ArgumentException("Int8 precision needs calibrated activation ranges (ResNet18Options.Int8Ranges).", nameof(options));
        return OnnxInt8Quantizer.Quantize(networkBytes, outputs, ranges);
    }

    internal static byte[] ReadModel(string folder, string relativePath)
    {
        var path = Path.Combine(folder, relativePath);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"ResNet18 model file '{path}' is missing; it is copied to DnnImageModels/ in the build output from the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18.",
                path);
        }

        return File.ReadAllBytes(path);
    }
}
