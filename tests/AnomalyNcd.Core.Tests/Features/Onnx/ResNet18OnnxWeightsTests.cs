using AnomalyNcd.Core.Features;
using AnomalyNcd.Core.Features.Onnx;
using AnomalyNcd.Core.Model.ResNet;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Features.Onnx;

/// <summary>The TorchSharp port of the package's ResNet18 against ONNX Runtime running the package's own files.</summary>
public class ResNet18OnnxWeightsTests(ITestOutputHelper output)
{
    private static readonly ResNetStage[] AllStages = [ResNetStage.Layer1, ResNetStage.Layer2, ResNetStage.Layer3, ResNetStage.Layer4];

    [Theory]
    [InlineData("MT_Blowhole", 0)]
    [InlineData("MT_Crack", 1)]
    [InlineData("MT_Free", 2)]
    public void Load_EveryStageEqualsOnnxRuntime_OnRealImages(string className, int index)
    {
        using var crop = ResNet18Fixture.ReadMtdCrop(className, index);
        var planar = ResNet18Features.ToPlanarRgb(crop);
        using var onnx = new ResNet18Features(AllStages);
        var expected = onnx.Extract(planar);

        using var trunk = ResNet18OnnxWeights.Load(ResNet18Fixture.ModelFolder);
        using var noGrad = no_grad();
        using var input = tensor(planar).reshape(1, 3, ResNet18Features.InputSize, ResNet18Features.InputSize);
        var stages = trunk.Stages(input, ResNetStage.Layer4);
        try
        {
            foreach (var (stage, actual) in AllStages.Zip(stages))
            {
                var reference = expected[stage];
                Assert.Equal([1, reference.Channels, reference.Height, reference.Width], actual.shape);
                var values = actual.contiguous().data<float>().ToArray();
                var maxDiff = values.Zip(reference.Values.ToArray()).Max(p => Math.Abs(p.First - p.Second));
                var maxValue = reference.Values.ToArray().Max();
                output.WriteLine($"{className} {stage}: max |port − ONNX Runtime| = {maxDiff:E2}, largest activation {maxValue:F2}");
                Assert.True(maxValue > 1f, $"{stage} is all but zero; the comparison would prove nothing.");
                Assert.True(maxDiff <= 1e-4f, $"{stage}: max abs difference {maxDiff:E3} > 1e-4.");
            }
        }
        finally
        {
            foreach (var stage in stages)
            {
                stage.Dispose();
            }
        }
    }

    [Fact]
    public void Load_MissingModelFolder_NamesTheMissingFile()
    {
        using var temp = TestData.NewTempFolder();
        var error = Assert.Throws<FileNotFoundException>(() => ResNet18OnnxWeights.Load(temp.Path));
        Assert.Contains("ResNet18.onnx", error.Message);
    }

    [Fact]
    public void Load_AnotherGraph_SaysHowManyConvolutionsItHas()
    {
        // The preprocessing graph in the network's place: a valid ONNX file without a single convolution.
        using var temp = TestData.NewTempFolder();
        foreach (var file in new[] { ResNet18Features.NetworkFile, ResNet18Features.PreprocessFile })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(temp.Path, file))!);
            File.Copy(Path.Combine(ResNet18Fixture.ModelFolder, ResNet18Features.PreprocessFile), Path.Combine(temp.Path, file));
        }

        var error = Assert.Throws<InvalidDataException>(() => ResNet18OnnxWeights.Load(temp.Path));
        Assert.Contains("ResNet18.onnx' has 0 convolutions; the ResNet18 trunk has 22", error.Message);
    }
}
