namespace AnomalyNcd.Core.Features.Onnx;

/// <summary>
/// Declares extra graph outputs in a serialised ONNX model. ONNX Runtime only returns values listed in
/// <c>GraphProto.output</c>, so intermediate activations (e.g. the end of a ResNet stage) must be declared
/// there before a session is created from the bytes. The edit works on the protobuf wire format directly:
/// every other field of the model is copied byte for byte.
/// </summary>
/// <remarks>
/// Field numbers (onnx.proto): ModelProto.graph = 7; GraphProto.node = 1, GraphProto.output = 12;
/// NodeProto.output = 2; ValueInfoProto.name = 1, ValueInfoProto.type = 2; TypeProto.tensor_type = 1;
/// TypeProto.Tensor.elem_type = 1. New outputs carry only their name and, when given, an element type;
/// the shape is left for the runtime to infer.
/// </remarks>
public static class OnnxGraphOutputs
{
    private const int ModelGraphField = 7;
    private const int GraphNodeField = 1;
    private const int GraphOutputField = 12;
    private const int NodeOutputField = 2;
    private const int ValueInfoNameField = 1;
    private const int ValueInfoTypeField = 2;
    private const int TypeTensorField = 1;
    private const int TensorElementTypeField = 1;

    /// <summary>ONNX TensorProto.DataType for 32-bit floats.</summary>
    public const int FloatElementType = 1;

    /// <summary>Names of the declared graph outputs, in declaration order.</summary>
    public static IReadOnlyList<string> ReadOutputNames(byte[] model)
    {
        var graph = FindGraph(model);
        var graphBytes = model.AsSpan(graph.PayloadStart, graph.PayloadLength);
        var names = new List<string>();
        foreach (var field in ProtoWire.ReadFields(graphBytes))
        {
            if (field.Number == GraphOutputField && field.WireType == ProtoField.LengthDelimitedType)
            {
                names.Add(ReadValueInfoName(graphBytes.Slice(field.PayloadStart, field.PayloadLength)));
            }
        }

        return names;
    }

    /// <summary>Names of every value produced by a node of the main graph (the values that can become outputs).</summary>
    public static IReadOnlySet<string> ReadNodeOutputNames(byte[] model)
    {
        var graph = FindGraph(model);
        var graphBytes = model.AsSpan(graph.PayloadStart, graph.PayloadLength);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var nodeField in ProtoWire.ReadFields(graphBytes))
        {
            if (nodeField.Number != GraphNodeField || nodeField.WireType != ProtoField.LengthDelimitedType)
            {
                continue;
            }

            var node = graphBytes.Slice(nodeField.PayloadStart, nodeField.PayloadLength);
            foreach (var field in ProtoWire.ReadFields(node))
            {
                if (field.Number == NodeOutputField && field.WireType == ProtoField.LengthDelimitedType)
                {
                    names.Add(ProtoWire.ReadString(node, field));
                }
            }
        }

        return names;
    }

    /// <summary>
    /// Returns a copy of <paramref name="model"/> whose graph declares <paramref name="outputNames"/> as outputs.
    /// With <paramref name="keepExisting"/> the original outputs stay first and names already declared are not
    /// repeated; without it the original outputs are dropped, so the runtime may prune nodes that only fed them.
    /// </summary>
    /// <param name="elementType">ONNX element type written for the new outputs, or null to omit the type.</param>
    /// <exception cref="ArgumentException">A name is not produced by any node of the graph.</exception>
    /// <exception cref="FormatException">The bytes are not an ONNX model with exactly one graph.</exception>
    public static byte[] WithOutputs(byte[] model, IReadOnlyList<string> outputNames, bool keepExisting = true, int? elementType = FloatElementType)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(outputNames);
        var available = ReadNodeOutputNames(model);
        var unknown = outputNames.Where(n => !available.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"No node of the ONNX graph produces {string.Join(", ", unknown.Select(n => $"'{n}'"))}.", nameof(outputNames));
        }

        var graph = FindGraph(model);
        var graphBytes = model.AsSpan(graph.PayloadStart, graph.PayloadLength);
        var declared = new HashSet<string>(StringComparer.Ordinal);

        using var newGraph = new MemoryStream(graph.PayloadLength + 64 * outputNames.Count);
        foreach (var field in ProtoWire.ReadFields(graphBytes))
        {
            if (field.Number == GraphOutputField)
            {
                if (!keepExisting)
                {
                    continue;
                }

                declared.Add(ReadValueInfoName(graphBytes.Slice(field.PayloadStart, field.PayloadLength)));
            }

            newGraph.Write(graphBytes[field.Start..field.End]);
        }

        foreach (var name in outputNames)
        {
            if (declared.Add(name))
            {
                ProtoWire.WriteLengthDelimited(newGraph, GraphOutputField, EncodeValueInfo(name, elementType));
            }
        }

        using var newModel = new MemoryStream(model.Length + (int)newGraph.Length - graph.PayloadLength + 16);
        newModel.Write(model.AsSpan(0, graph.Start));
        ProtoWire.WriteLengthDelimited(newModel, ModelGraphField, newGraph.GetBuffer().AsSpan(0, (int)newGraph.Length));
        newModel.Write(model.AsSpan(graph.End));
        return newModel.ToArray();
    }

    private static ProtoField FindGraph(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graphs = ProtoWire.ReadFields(model)
            .Where(f => f.Number == ModelGraphField && f.WireType == ProtoField.LengthDelimitedType)
            .ToList();
        return graphs.Count == 1
            ? graphs[0]
            : throw new FormatException($"Expected one graph in the ONNX model, found {graphs.Count}.");
    }

    private static string ReadValueInfoName(ReadOnlySpan<byte> valueInfo)
    {
        foreach (var field in ProtoWire.ReadFields(valueInfo))
        {
            if (field.Number == ValueInfoNameField && field.WireType == ProtoField.LengthDelimitedType)
            {
                return ProtoWire.ReadString(valueInfo, field);
            }
        }

        return "";
    }

    private static byte[] EncodeValueInfo(string name, int? elementType)
    {
        using var valueInfo = new MemoryStream();
        ProtoWire.WriteLengthDelimited(valueInfo, ValueInfoNameField, System.Text.Encoding.UTF8.GetBytes(name));
        if (elementType is { } type)
        {
            using var tensor = new MemoryStream();
            ProtoWire.WriteVarintField(tensor, TensorElementTypeField, (ulong)type);
            using var typeProto = new MemoryStream();
            ProtoWire.WriteLengthDelimited(typeProto, TypeTensorField, tensor.ToArray());
            ProtoWire.WriteLengthDelimited(valueInfo, ValueInfoTypeField, typeProto.ToArray());
        }

        return valueInfo.ToArray();
    }
}
