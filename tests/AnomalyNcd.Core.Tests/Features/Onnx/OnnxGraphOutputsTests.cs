using AnomalyNcd.Core.Features;
using AnomalyNcd.Core.Features.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace AnomalyNcd.Core.Tests.Features.Onnx;

public class OnnxGraphOutputsTests
{
    private static readonly string[] StageNames = ["ReLU283_Output_0", "ReLU315_Output_0", "ReLU347_Output_0"];

    private static byte[] NetworkBytes() => File.ReadAllBytes(Path.Combine(ResNet18Fixture.ModelFolder, ResNet18Features.NetworkFile));

    private static byte[] PreprocessBytes() => File.ReadAllBytes(Path.Combine(ResNet18Fixture.ModelFolder, ResNet18Features.PreprocessFile));

    [Fact]
    public void ReadOutputNames_OriginalResNet_HasOnlyThePooledOutput()
    {
        Assert.Equal(["Pooling395_Output_0"], OnnxGraphOutputs.ReadOutputNames(NetworkBytes()));
    }

    [Fact]
    public void WithOutputs_KeepExisting_KeepsOriginalFirstAndAddsRequested()
    {
        var original = NetworkBytes();
        var edited = OnnxGraphOutputs.WithOutputs(original, StageNames);
        Assert.Equal(["Pooling395_Output_0", .. StageNames], OnnxGraphOutputs.ReadOutputNames(edited));
        Assert.Equal(OnnxGraphOutputs.ReadNodeOutputNames(original), OnnxGraphOutputs.ReadNodeOutputNames(edited));
        // Only the output declarations are new: the graph grows by a few bytes per output, not more.
        Assert.InRange(edited.Length - original.Length, 3 * 20, 3 * 40);
    }

    [Fact]
    public void WithOutputs_AlreadyDeclaredName_IsNotDuplicated()
    {
        var edited = OnnxGraphOutputs.WithOutputs(NetworkBytes(), ["Pooling395_Output_0", StageNames[0], StageNames[0]]);
        Assert.Equal(["Pooling395_Output_0", StageNames[0]], OnnxGraphOutputs.ReadOutputNames(edited));
    }

    [Fact]
    public void WithOutputs_WithoutKeep_DeclaresOnlyTheRequested()
    {
        var edited = OnnxGraphOutputs.WithOutputs(NetworkBytes(), StageNames, keepExisting: false);
        Assert.Equal(StageNames, OnnxGraphOutputs.ReadOutputNames(edited));
    }

    [Fact]
    public void WithOutputs_UnknownValue_IsRefusedByName()
    {
        var error = Assert.Throws<ArgumentException>(() => OnnxGraphOutputs.WithOutputs(PreprocessBytes(), ["NoSuchValue"]));
        Assert.Contains("'NoSuchValue'", error.Message);
    }

    [Fact]
    public void WithOutputs_NotAModel_IsRefused()
    {
        Assert.Throws<FormatException>(() => OnnxGraphOutputs.WithOutputs([0x0A, 0x05, 0x01], ["x"]));
    }

    [Fact]
    public void WithOutputs_TypeOmitted_RuntimeReturnsTheIntermediateValue()
    {
        var edited = OnnxGraphOutputs.WithOutputs(PreprocessBytes(), ["BGRInput"], elementType: null);
        using var session = new InferenceSession(edited);
        Assert.Equal(["PreprocessedInput", "BGRInput"], session.OutputMetadata.Keys);
        const int plane = 224 * 224;
        var rgb = new float[3 * plane];
        rgb.AsSpan(0, plane).Fill(1f);
        rgb.AsSpan(plane, plane).Fill(2f);
        rgb.AsSpan(2 * plane, plane).Fill(3f);
        using var input = OrtValue.CreateTensorValueFromMemory(rgb, [1, 3, 224, 224]);
        using var outputs = session.Run(new RunOptions(), ["OriginalInput"], [input], ["BGRInput"]);
        var bgr = outputs[0].GetTensorDataAsSpan<float>();
        Assert.Equal((3f, 2f, 1f), (bgr[0], bgr[plane], bgr[2 * plane]));
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(127UL)]
    [InlineData(128UL)]
    [InlineData(300UL)]
    [InlineData(66_000_000UL)]
    [InlineData(ulong.MaxValue)]
    public void ProtoWireVarint_RoundTrips(ulong value)
    {
        using var stream = new MemoryStream();
        ProtoWire.WriteVarint(stream, value);
        var position = 0;
        Assert.Equal(value, ProtoWire.ReadVarint(stream.ToArray(), ref position));
        Assert.Equal(stream.Length, position);
    }
}
