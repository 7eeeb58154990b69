using AnomalyNcd.Core.Model.ResNet;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Features.Onnx;

/// <summary>
/// Loads the ImageNet weights of the package's ResNet18.onnx (and the mean image of ResNetPreprocess.onnx) into a
/// <see cref="ResNet18Trunk"/>. Every convolution is matched to the graph's Conv nodes in graph order and checked for its
/// weight shape, stride and padding; its batch norm is the BatchNormalization node that consumes it.
/// </summary>
public static class ResNet18OnnxWeights
{
    public const string MeanImageName = "MeanImage";

    /// <summary>A trunk with the package's weights, in eval mode (batch norm on the stored statistics), on the CPU.</summary>
    /// <param name="modelFolder">Folder holding the two ONNX files; the build's <c>DnnImageModels</c> when null.</param>
    /// <exception cref="FileNotFoundException">An ONNX file is missing.</exception>
    /// <exception cref="InvalidDataException">The graph is not the ResNet18 this trunk mirrors.</exception>
    public static ResNet18Trunk Load(string? modelFolder = null)
    {
        var folder = modelFolder ?? new ResNet18Options().ModelFolder;
        var trunk = new ResNet18Trunk();
        try
        {
            LoadInto(trunk, folder);
        }
        catch
        {
            trunk.Dispose();
            throw;
        }

        trunk.eval();
        return trunk;
    }

    public static void LoadInto(ResNet18Trunk trunk, string modelFolder)
    {
        ArgumentNullException.ThrowIfNull(trunk);
        var networkPath = Path.Combine(modelFolder, ResNet18Features.NetworkFile);
        var network = OnnxGraph.Read(ResNet18Features.ReadModel(modelFolder, ResNet18Features.NetworkFile));
        var convolutions = network.Nodes.Where(n => n.OpType == "Conv").ToList();
        var targets = trunk.ConvolutionsInGraphOrder().ToList();
        if (convolutions.Count != targets.Count)
        {
            throw new InvalidDataException($"'{networkPath}' has {convolutions.Count} convolutions; the ResNet18 trunk has {targets.Count}.");
        }

        for (var i = 0; i < targets.Count; i++)
        {
            Load(network, convolutions[i], targets[i], networkPath);
        }

        var preprocessPath = Path.Combine(modelFolder, ResNet18Features.PreprocessFile);
        var preprocess = OnnxGraph.Read(ResNet18Features.ReadModel(modelFolder, ResNet18Features.PreprocessFile));
        if (!preprocess.Initializers.TryGetValue(MeanImageName, out var mean) || !mean.Dims.SequenceEqual(trunk.MeanImage.shape))
        {
            throw new InvalidDataException($"'{preprocessPath}' has no {MeanImageName} of shape [{string.Join(",", trunk.MeanImage.shape)}].");
        }

        using var noGrad = no_grad();
        using var values = tensor(mean.ToFloats()).reshape(trunk.MeanImage.shape).to(trunk.MeanImage.device);
        trunk.MeanImage.copy_(values);
    }

    private static void Load(OnnxGraph graph, OnnxNode conv, ConvBatchNorm target, string path)
    {
        var weight = Initializer(graph, conv.Inputs[1], path);
        var attributes = conv.Attributes.Select(OnnxGraph.ReadIntsAttribute).ToDictionary(a => a.Name, a => a.Values, StringComparer.Ordinal);
        long[] expectedDims = [target.OutChannels, target.InChannels, target.KernelSize, target.KernelSize];
        long[] expectedPads = [target.Pads.Top, target.Pads.Left, target.Pads.Bottom, target.Pads.Right];
        var stridesMatch = attributes.TryGetValue("strides", out var strides) && strides.All(s => s == target.Stride);
        var padsMatch = attributes.TryGetValue("pads", out var pads) && pads.SequenceEqual(expectedPads);
        var grouped = attributes.TryGetValue("group", out var group) && group is not ([] or [1]);
        if (!weight.Dims.SequenceEqual(expectedDims) || !stridesMatch || !padsMatch || grouped || conv.Inputs.Count > 2)
        {
            throw new InvalidDataException($"'{path}': convolution '{conv.Outputs[0]}' (weight [{string.Join(",", weight.Dims)}], strides [{string.Join(",", strides ?? [])}], pads [{string.Join(",", pads ?? [])}]) is not the expected [{string.Join(",", expectedDims)}] stride {target.Stride} pads [{string.Join(",", expectedPads)}] without bias.");
        }

        var bn = graph.Nodes.SingleOrDefault(n => n.OpType == "BatchNormalization" && n.Inputs[0] == conv.Outputs[0])
            ?? throw new InvalidDataException($"'{path}': convolution '{conv.Outputs[0]}' is not followed by a batch normalisation.");
        var epsilon = OnnxGraph.FloatAttribute(bn, "epsilon", 1e-5f); // ONNX's default when absent
        if (Math.Abs(epsilon - 1e-5f) > 1e-9f)
        {
            throw new InvalidDataException($"'{path}': batch normalisation '{bn.Outputs[0]}' has epsilon {epsilon}; the trunk uses 1e-5.");
        }

        target.Load(
            weight.ToFloats(),
            Initializer(graph, bn.Inputs[1], path).ToFloats(),
            Initializer(graph, bn.Inputs[2], path).ToFloats(),
            Initializer(graph, bn.Inputs[3], path).ToFloats(),
            Initializer(graph, bn.Inputs[4], path).ToFloats());
    }

    private static OnnxTensor Initializer(OnnxGraph graph, string name, string path) =>
        graph.Initializers.TryGetValue(name, out var tensor) ? tensor : throw new InvalidDataException($"'{path}' has no initializer '{name}'.");
}
