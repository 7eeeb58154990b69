using System.Diagnostics;
using AnomalyNcd.Core.Features;
using AnomalyNcd.Core.Features.Onnx;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using Xunit.Abstractions;

namespace AnomalyNcd.Core.Tests.Features.Onnx;

public class OnnxInt8QuantizerTests(ITestOutputHelper output)
{
    private static readonly ResNetStage[] Stages = [ResNetStage.Layer2, ResNetStage.Layer3];

    [Fact]
    public void QuantizeModel_Int8StageOutputsCloseToFp32()
    {
        var ranges = Calibrate(8);
        using var fp32 = new ResNet18Features(Stages);
        using var int8 = new ResNet18Features(Stages, new ResNet18Options { Precision = BackbonePrecision.Int8, Int8Ranges = ranges });
        using var crop = ResNet18Fixture.ReadMtdCrop("MT_Blowhole", 20);
        var expected = fp32.Extract(crop);
        var actual = int8.Extract(crop);
        foreach (var stage in Stages)
        {
            var cosine = Cosine(expected[stage].Values, actual[stage].Values);
            output.WriteLine($"{stage}: cosine {cosine:F4}");
            Assert.True(cosine >= 0.98, $"{stage} cosine {cosine}");
        }

        var planar = ResNet18Features.ToPlanarRgb(crop);
        output.WriteLine($"fp32 {Time(fp32, planar):F1} ms, int8 {Time(int8, planar):F1} ms per forward (1 thread)");
    }

    [Fact]
    public void QuantizedModel_RunsWithOnnxRuntimeAsFusedIntegerConvolutions()
    {
        var model = File.ReadAllBytes(Path.Combine(ResNet18Fixture.ModelFolder, ResNet18Features.NetworkFile));
        var outputs = new[] { ResNetStage.Layer2.OutputName() };
        var ranges = FlatRanges(model, outputs);
        var quantized = OnnxInt8Quantizer.Quantize(model, outputs, ranges);
        using var temp = TestData.NewTempFolder();
        var optimizedPath = Path.Combine(temp.Path, "optimized.onnx");
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, OptimizedModelFilePath = optimizedPath, IntraOpNumThreads = 1 };

        using var session = new InferenceSession(quantized, options);
        using var input = OrtValue.CreateTensorValueFromMemory(new float[3 * 224 * 224], [1, 3, 224, 224]);
        using var result = session.Run(new RunOptions(), [OnnxInt8Quantizer.InputName(model)], [input], outputs);

        Assert.Equal([1, 128, 28, 28], result[0].GetTensorTypeAndShape().Shape);
        var optimizedOps = OnnxGraph.Read(File.ReadAllBytes(optimizedPath)).Nodes.Select(n => n.OpType).ToList();
        Assert.Contains("QLinearConv", optimizedOps);
        Assert.DoesNotContain("Conv", optimizedOps);
        Assert.DoesNotContain("BatchNormalization", optimizedOps);
    }

    [Fact]
    public void Quantize_UnsupportedOperator_RefusedNamingIt()
    {
        var model = File.ReadAllBytes(Path.Combine(ResNet18Fixture.ModelFolder, ResNet18Features.NetworkFile));
        string[] outputs = ["Pooling395_Output_0"];

        var error = Assert.Throws<NotSupportedException>(() => OnnxInt8Quantizer.Quantize(model, outputs, FlatRanges(model, outputs)));

        Assert.Contains("AveragePool", error.Message);
    }

    [Fact]
    public void Quantize_MissingRange_Refused()
    {
        var model = File.ReadAllBytes(Path.Combine(ResNet18Fixture.ModelFolder, ResNet18Features.NetworkFile));
        string[] outputs = [ResNetStage.Layer1.OutputName()];
        var ranges = FlatRanges(model, outputs).Where(p => p.Key != outputs[0]).ToDictionary();

        var error = Assert.Throws<ArgumentException>(() => OnnxInt8Quantizer.Quantize(model, outputs, ranges));

        Assert.Contains(outputs[0], error.Message);
    }

    private static Dictionary<string, ActivationRange> FlatRanges(byte[] model, IReadOnlyList<string> outputs) =>
        OnnxInt8Quantizer.CalibrationTensors(model, outputs).Append(OnnxInt8Quantizer.InputName(model)).ToDictionary(n => n, _ => new ActivationRange(-10, 10));

    private static double Time(ResNet18Features features, float[] planar)
    {
        for (var i = 0; i < 3; i++)
        {
            features.Extract(planar);
        }

        var best = double.MaxValue;
        for (var i = 0; i < 10; i++)
        {
            var watch = Stopwatch.StartNew();
            features.Extract(planar);
            best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
        }

        return best;
    }

    internal static IReadOnlyDictionary<string, ActivationRange> Calibrate(int images)
    {
        var crops = new List<float[]>();
        foreach (var className in new[] { "MT_Free", "MT_Blowhole" })
        {
            for (var i = 0; i < images / 2; i++)
            {
                using var crop = ResNet18Fixture.ReadMtdCrop(className, i);
                crops.Add(ResNet18Features.ToPlanarRgb(crop));
            }
        }

        return ResNet18Features.CalibrateInt8(crops, Stages);
    }

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }
}
