using System.Diagnostics;
using AnomalyNcd.Core.Features;
using AnomalyNcd.Core.Features.Onnx;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using Xunit.Abstractions;

namespace AnomalyNcd.Core.Tests.Features;

public class ResNet18FeaturesTests(ResNet18Fixture fixture, ITestOutputHelper output) : IClassFixture<ResNet18Fixture>
{
    [Fact]
    public void ModelFiles_AreCopiedBesideTheTests()
    {
        Assert.True(File.Exists(Path.Combine(ResNet18Fixture.ModelFolder, ResNet18Features.NetworkFile)));
        Assert.True(File.Exists(Path.Combine(ResNet18Fixture.ModelFolder, ResNet18Features.PreprocessFile)));
    }

    [Fact]
    public void Constructor_MissingModelFolder_NamesTheMissingFile()
    {
        using var temp = TestData.NewTempFolder();
        var error = Assert.Throws<FileNotFoundException>(() => new ResNet18Features([ResNetStage.Layer2], new ResNet18Options { ModelFolder = temp.Path }));
        Assert.Contains("ResNet18.onnx", error.Message);
    }

    [Fact]
    public void Preprocess_TakesRgbAndGivesBgrMinusMeanImage()
    {
        using var session = new InferenceSession(Path.Combine(ResNet18Fixture.ModelFolder, ResNet18Features.PreprocessFile));
        var input = Assert.Single(session.InputMetadata);
        var result = Assert.Single(session.OutputMetadata);
        Assert.Equal("OriginalInput", input.Key);
        Assert.Equal([1, 3, 224, 224], input.Value.Dimensions);
        Assert.Equal("PreprocessedInput", result.Key);
        Assert.Equal([1, 3, 224, 224], result.Value.Dimensions);

        // Pure red in RGB: after the swap the red value sits in the last channel, minus a mean near 123.
        const int plane = 224 * 224;
        var red = new float[3 * plane];
        red.AsSpan(0, plane).Fill(255f);
        using var value = OrtValue.CreateTensorValueFromMemory(red, [1, 3, 224, 224]);
        using var outputs = session.Run(new RunOptions(), ["OriginalInput"], [value], ["PreprocessedInput"]);
        var prepared = outputs[0].GetTensorDataAsSpan<float>();
        var blueMean = -Average(prepared.Slice(0, plane));
        var greenMean = -Average(prepared.Slice(plane, plane));
        var redMean = 255f - Average(prepared.Slice(2 * plane, plane));
        Assert.InRange(blueMean, 95, 112);
        Assert.InRange(greenMean, 108, 124);
        Assert.InRange(redMean, 115, 131);
    }

    [Fact]
    public void Extract_ReturnsRequestedStageShapes()
    {
        using var crop = ResNet18Fixture.ReadMtdCrop("MT_Blowhole");
        var features = fixture.Features.Extract(crop);
        Assert.Equal(ResNet18Fixture.Stages, features.Stages);
        foreach (var stage in ResNet18Fixture.Stages)
        {
            var map = features[stage];
            Assert.Equal((stage.Channels(), stage.Size(), stage.Size()), (map.Channels, map.Height, map.Width));
        }

        Assert.Equal((64, 56), (features[ResNetStage.Layer1].Channels, features[ResNetStage.Layer1].Width));
        Assert.Equal((128, 28), (features[ResNetStage.Layer2].Channels, features[ResNetStage.Layer2].Width));
        Assert.Equal((256, 14), (features[ResNetStage.Layer3].Channels, features[ResNetStage.Layer3].Width));
        Assert.Throws<KeyNotFoundException>(() => features[ResNetStage.Layer4]);
    }

    [Fact]
    public void Extract_RealImage_FeaturesAreFiniteNonNegativeAndNotAllZero()
    {
        using var crop = ResNet18Fixture.ReadMtdCrop("MT_Blowhole");
        var features = fixture.Features.Extract(crop);
        foreach (var stage in ResNet18Fixture.Stages)
        {
            var values = features[stage].Values;
            Assert.All(values, v => Assert.True(float.IsFinite(v) && v >= 0f, $"{stage}: {v}"));
            var nonZero = values.Count(v => v > 0f);
            Assert.True(nonZero > values.Length / 20, $"{stage}: only {nonZero} of {values.Length} activations are positive");
        }
    }

    [Fact]
    public void Extract_SameInputTwice_GivesIdenticalOutput()
    {
        using var crop = ResNet18Fixture.ReadMtdCrop("MT_Blowhole");
        var first = fixture.Features.Extract(crop);
        var second = fixture.Features.Extract(crop);
        foreach (var stage in ResNet18Fixture.Stages)
        {
            Assert.Equal(first[stage].Values, second[stage].Values);
        }
    }

    [Fact]
    public void Extract_BatchOfTwo_EqualsTwoSingles()
    {
        using var blowhole = ResNet18Fixture.ReadMtdCrop("MT_Blowhole");
        using var crack = ResNet18Fixture.ReadMtdCrop("MT_Crack");
        var batch = fixture.Features.Extract([blowhole, crack]);
        Assert.Equal(2, batch.Count);
        var singles = new[] { fixture.Features.Extract(blowhole), fixture.Features.Extract(crack) };
        for (var i = 0; i < 2; i++)
        {
            foreach (var stage in ResNet18Fixture.Stages)
            {
                Assert.Equal(singles[i][stage].Values, batch[i][stage].Values);
            }
        }
    }

    [Fact]
    public void Extract_ConcurrentCallers_GetTheSameResultsAsSequential()
    {
        using var blowhole = ResNet18Fixture.ReadMtdCrop("MT_Blowhole");
        using var crack = ResNet18Fixture.ReadMtdCrop("MT_Crack");
        var crops = new[] { blowhole, crack, blowhole, crack };
        var sequential = crops.Select(c => fixture.Features.Extract(c)[ResNetStage.Layer3].Values).ToArray();
        var parallel = new float[crops.Length][];
        Parallel.For(0, crops.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 },
            i => parallel[i] = fixture.Features.Extract(crops[i])[ResNetStage.Layer3].Values);
        for (var i = 0; i < crops.Length; i++)
        {
            Assert.Equal(sequential[i], parallel[i]);
        }
    }

    [Fact]
    public void Extract_DifferentImages_GiveDifferentFeatures()
    {
        using var blowhole = ResNet18Fixture.ReadMtdCrop("MT_Blowhole");
        using var crack = ResNet18Fixture.ReadMtdCrop("MT_Crack");
        var a = fixture.Features.Extract(blowhole)[ResNetStage.Layer3].Values;
        var b = fixture.Features.Extract(crack)[ResNetStage.Layer3].Values;
        var meanAbsoluteDifference = a.Zip(b, (x, y) => Math.Abs(x - y)).Average();
        Assert.True(meanAbsoluteDifference > 1e-3, $"mean |difference| {meanAbsoluteDifference}");
    }

    [Fact]
    public void Extract_MatAndPlanarFloats_GiveTheSameResult()
    {
        using var crop = ResNet18Fixture.ReadMtdCrop("MT_Crack");
        var fromMat = fixture.Features.Extract(crop);
        var fromFloats = fixture.Features.Extract(ResNet18Features.ToPlanarRgb(crop).AsSpan());
        Assert.Equal(fromMat[ResNetStage.Layer2].Values, fromFloats[ResNetStage.Layer2].Values);
    }

    [Fact]
    public void ToPlanarRgb_KeepsRgbOrderInPlanes()
    {
        using var crop = new Mat(224, 224, MatType.CV_8UC3, new Scalar(10, 20, 30));
        crop.Set(5, 7, new Vec3b(200, 100, 50));
        var planar = ResNet18Features.ToPlanarRgb(crop);
        const int plane = 224 * 224;
        Assert.Equal((10f, 20f, 30f), (planar[0], planar[plane], planar[2 * plane]));
        var at = 5 * 224 + 7;
        Assert.Equal((200f, 100f, 50f), (planar[at], planar[plane + at], planar[2 * plane + at]));
    }

    [Fact]
    public void Extract_WrongCropSize_IsRefused()
    {
        using var crop = new Mat(100, 224, MatType.CV_8UC3, Scalar.All(0));
        Assert.Throws<ArgumentException>(() => fixture.Features.Extract(crop));
    }

    [Fact]
    public void Layer4_AveragedOverSpace_EqualsTheModelsPooledOutput()
    {
        // Proves the declared intermediate output is the real activation feeding the model's own 7×7 average pool.
        var bytes = File.ReadAllBytes(Path.Combine(ResNet18Fixture.ModelFolder, ResNet18Features.NetworkFile));
        var edited = OnnxGraphOutputs.WithOutputs(bytes, [ResNetStage.Layer4.OutputName()]);
        using var session = new InferenceSession(edited);
        using var crop = ResNet18Fixture.ReadMtdCrop("MT_Blowhole");
        using var prep = new InferenceSession(Path.Combine(ResNet18Fixture.ModelFolder, ResNet18Features.PreprocessFile));
        using var input = OrtValue.CreateTensorValueFromMemory(ResNet18Features.ToPlanarRgb(crop), [1, 3, 224, 224]);
        using var prepared = prep.Run(new RunOptions(), ["OriginalInput"], [input], ["PreprocessedInput"]);
        using var outputs = session.Run(new RunOptions(), ["Input247"], [prepared[0]], ["Pooling395_Output_0", "ReLU393_Output_0"]);
        var pooled = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        var layer4 = outputs[1].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(512, pooled.Length);
        Assert.Equal(512 * 49, layer4.Length);
        for (var c = 0; c < 512; c++)
        {
            Assert.Equal(pooled[c], Average(layer4.AsSpan(c * 49, 49)), 3);
        }
    }

    [Fact]
    public void Speed_Layers1To3_OneThread_IsReported()
    {
        using var crop = ResNet18Fixture.ReadMtdCrop("MT_Blowhole");
        fixture.Features.Extract(crop);
        const int runs = 10;
        var watch = Stopwatch.StartNew();
        CropFeatures? last = null;
        for (var i = 0; i < runs; i++)
        {
            last = fixture.Features.Extract(crop);
        }

        watch.Stop();
        var msPerCrop = watch.Elapsed.TotalMilliseconds / runs;
        var tokenWatch = Stopwatch.StartNew();
        var tokens = PatchTokens.Build(last!);
        tokenWatch.Stop();
        output.WriteLine($"ResNet18 layers 1-3, 1 intra-op thread: {msPerCrop:F1} ms per 224x224 crop ({runs} runs); PatchTokens {tokenWatch.Elapsed.TotalMilliseconds:F1} ms");
        Assert.True(msPerCrop > 0);
        Assert.Equal((784, 384), (tokens.Count, tokens.Dimension));
    }

    private static float Average(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        return (float)(sum / values.Length);
    }
}
