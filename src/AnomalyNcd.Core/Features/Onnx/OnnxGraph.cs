using System.Text;

namespace AnomalyNcd.Core.Features.Onnx;

/// <summary>One node of an ONNX graph: its wiring and its attributes kept as the serialised AttributeProto bytes.</summary>
internal sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyList<byte[]> Attributes, string Domain = "");

/// <summary>An initializer: element type (TensorProto.DataType), dimensions and the payload as raw little-endian bytes.</summary>
internal sealed record OnnxTensor(string Name, int DataType, long[] Dims, byte[] Raw)
{
    public const int Float = 1;
    public const int UInt8 = 2;
    public const int Int8 = 3;
    public const int Int32 = 6;

    public float[] ToFloats() =>
        DataType == Float ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(Raw).ToArray() : throw new FormatException($"Initializer '{Name}' is type {DataType}, not float.");

    public static OnnxTensor FromFloats(string name, long[] dims, ReadOnlySpan<float> values) =>
        new(name, Float, dims, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).ToArray());
}

/// <summary>
/// The parts of an ONNX model's main graph needed to rewrite it (nodes, initializers, the input declarations), read from
/// and written to the protobuf wire format. Field numbers follow onnx.proto: ModelProto.ir_version 1, producer_name 2,
/// graph 7, opset_import 8; GraphProto.node 1, name 2, initializer 5, input 11, output 12; NodeProto.input 1, output 2,
/// name 3, op_type 4, attribute 5, domain 7; TensorProto.dims 1, data_type 2, float_data 4, name 8, raw_data 9;
/// AttributeProto.name 1, f 2, i 3, type 20.
/// </summary>
internal sealed class OnnxGraph
{
    public List<OnnxNode> Nodes { get; } = [];

    public Dictionary<string, OnnxTensor> Initializers { get; } = new(StringComparer.Ordinal);

    /// <summary>The graph's input ValueInfoProto payloads that are not initializers, as they were serialised.</summary>
    public List<(string Name, byte[] ValueInfo)> Inputs { get; } = [];

    public static OnnxGraph Read(byte[] model)
    {
        var graphs = ProtoWire.ReadFields(model).Where(f => f.Number == 7 && f.WireType == ProtoField.LengthDelimitedType).ToList();
        if (graphs.Count != 1)
        {
            throw new FormatException($"Expected one graph in the ONNX model, found {graphs.Count}.");
        }

        var graphBytes = model.AsSpan(graphs[0].PayloadStart, graphs[0].PayloadLength);
        var graph = new OnnxGraph();
        var inputs = new List<(string, byte[])>();
        foreach (var field in ProtoWire.ReadFields(graphBytes))
        {
            var payload = graphBytes.Slice(field.PayloadStart, field.PayloadLength);
            switch (field.Number)
            {
                case 1:
                    graph.Nodes.Add(ReadNode(payload));
                    break;
                case 5:
                    var tensor = ReadTensor(payload);
                    graph.Initializers[tensor.Name] = tensor;
                    break;
                case 11:
                    inputs.Add((ReadFirstString(payload, 1), payload.ToArray()));
                    break;
            }
        }

        graph.Inputs.AddRange(inputs.Where(i => !graph.Initializers.ContainsKey(i.Item1)));
        return graph;
    }

    /// <summary>A model (IR 7, default-domain opset <paramref name="opset"/>) holding this graph with float outputs <paramref name="outputs"/>.</summary>
    public byte[] Write(IReadOnlyList<string> outputs, int opset, IReadOnlyList<(string Domain, int Version)>? extraOpsets = null)
    {
        using var graph = new MemoryStream();
        foreach (var node in Nodes)
        {
            ProtoWire.WriteLengthDelimited(graph, 1, EncodeNode(node));
        }

        ProtoWire.WriteLengthDelimited(graph, 2, Encoding.UTF8.GetBytes("anomalyncd"));
        foreach (var tensor in Initializers.Values)
        {
            ProtoWire.WriteLengthDelimited(graph, 5, EncodeTensor(tensor));
        }

        foreach (var (_, valueInfo) in Inputs)
        {
            ProtoWire.WriteLengthDelimited(graph, 11, valueInfo);
        }

        foreach (var name in outputs)
        {
            ProtoWire.WriteLengthDelimited(graph, 12, EncodeFloatValueInfo(name));
        }

        using var model = new MemoryStream();
        ProtoWire.WriteVarintField(model, 1, 7);
        ProtoWire.WriteLengthDelimited(model, 2, Encoding.UTF8.GetBytes("AnomalyNcd"));
        ProtoWire.WriteLengthDelimited(model, 7, graph.ToArray());
        ProtoWire.WriteLengthDelimited(model, 8, EncodeOpset("", opset));
        foreach (var (domain, version) in extraOpsets ?? [])
        {
            ProtoWire.WriteLengthDelimited(model, 8, EncodeOpset(domain, version));
        }

        return model.ToArray();
    }

    /// <summary>An INT attribute (AttributeProto type 2).</summary>
    public static byte[] IntAttribute(string name, long value)
    {
        using var attribute = new MemoryStream();
        ProtoWire.WriteLengthDelimited(attribute, 1, Encoding.UTF8.GetBytes(name));
        ProtoWire.WriteVarintField(attribute, 3, unchecked((ulong)value));
        ProtoWire.WriteVarintField(attribute, 20, 2);
        return attribute.ToArray();
    }

    /// <summary>The name and the FLOAT value (0 when absent) of a serialised attribute.</summary>
    public static (string Name, float Value) ReadFloatAttribute(byte[] attribute)
    {
        var name = ReadFirstString(attribute, 1);
        foreach (var field in ProtoWire.ReadFields(attribute))
        {
            if (field.Number == 2 && field.WireType == ProtoField.Fixed32Type)
            {
                return (name, BitConverter.ToSingle(attribute, field.PayloadStart));
            }
        }

        return (name, 0);
    }

    /// <summary>A node's FLOAT attribute <paramref name="name"/>, or <paramref name="fallback"/> when the node has none.</summary>
    public static float FloatAttribute(OnnxNode node, string name, float fallback) =>
        node.Attributes.Select(ReadFloatAttribute).Where(a => a.Name == name).Select(a => a.Value).DefaultIfEmpty(fallback).First();

    /// <summary>The name and the INTS values (field 8, packed or not; empty when absent) of a serialised attribute.</summary>
    public static (string Name, long[] Values) ReadIntsAttribute(byte[] attribute)
    {
        var values = new List<long>();
        foreach (var field in ProtoWire.ReadFields(attribute))
        {
            if (field.Number == 8 && field.WireType is ProtoField.VarintType or ProtoField.LengthDelimitedType)
            {
                ProtoWire.ReadRepeatedVarint(attribute, field, values);
            }
        }

        return (ReadFirstString(attribute, 1), values.ToArray());
    }

    private static OnnxNode ReadNode(ReadOnlySpan<byte> node)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new List<byte[]>();
        string opType = "", domain = "";
        foreach (var field in ProtoWire.ReadFields(node))
        {
            switch (field.Number)
            {
                case 1: inputs.Add(ProtoWire.ReadString(node, field)); break;
                case 2: outputs.Add(ProtoWire.ReadString(node, field)); break;
                case 4: opType = ProtoWire.ReadString(node, field); break;
                case 5: attributes.Add(node.Slice(field.PayloadStart, field.PayloadLength).ToArray()); break;
                case 7: domain = ProtoWire.ReadString(node, field); break;
            }
        }

        return new OnnxNode(opType, inputs, outputs, attributes, domain);
    }

    private static OnnxTensor ReadTensor(ReadOnlySpan<byte> tensor)
    {
        var dims = new List<long>();
        var dataType = 0;
        var name = "";
        byte[]? raw = null;
        var floats = new List<float>();
        foreach (var field in ProtoWire.ReadFields(tensor))
        {
            var position = field.PayloadStart;
            switch (field.Number, field.WireType)
            {
                case (1, ProtoField.VarintType or ProtoField.LengthDelimitedType):
                    ProtoWire.ReadRepeatedVarint(tensor, field, dims);
                    break;
                case (2, ProtoField.VarintType):
                    dataType = (int)ProtoWire.ReadVarint(tensor, ref position);
                    break;
                case (4, ProtoField.LengthDelimitedType):
                    floats.AddRange(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.Slice(field.PayloadStart, field.PayloadLength)).ToArray());
                    break;
                case (4, ProtoField.Fixed32Type):
                    floats.Add(BitConverter.ToSingle(tensor.Slice(field.PayloadStart, 4)));
                    break;
                case (8, ProtoField.LengthDelimitedType):
                    name = ProtoWire.ReadString(tensor, field);
                    break;
                case (9, ProtoField.LengthDelimitedType):
                    raw = tensor.Slice(field.PayloadStart, field.PayloadLength).ToArray();
                    break;
            }
        }

        if (raw is null)
        {
            if (dataType != OnnxTensor.Float)
            {
                throw new FormatException($"Initializer '{name}' of type {dataType} has no raw_data; only float initializers may use typed fields.");
            }

            raw = System.Runtime.InteropServices.MemoryMarshal.AsBytes(floats.ToArray().AsSpan()).ToArray();
        }

        return new OnnxTensor(name, dataType, dims.ToArray(), raw);
    }

    private static string ReadFirstString(ReadOnlySpan<byte> message, int number)
    {
        foreach (var field in ProtoWire.ReadFields(message))
        {
            if (field.Number == number && field.WireType == ProtoField.LengthDelimitedType)
            {
                return ProtoWire.ReadString(message, field);
            }
        }

        return "";
    }

    private static byte[] EncodeNode(OnnxNode node)
    {
        using var stream = new MemoryStream();
        foreach (var input in node.Inputs)
        {
            ProtoWire.WriteLengthDelimited(stream, 1, Encoding.UTF8.GetBytes(input));
        }

        foreach (var output in node.Outputs)
        {
            ProtoWire.WriteLengthDelimited(stream, 2, Encoding.UTF8.GetBytes(output));
        }

        ProtoWire.WriteLengthDelimited(stream, 3, Encoding.UTF8.GetBytes($"{node.OpType}_{node.Outputs[0]}"));
        ProtoWire.WriteLengthDelimited(stream, 4, Encoding.UTF8.GetBytes(node.OpType));
        foreach (var attribute in node.Attributes)
        {
            ProtoWire.WriteLengthDelimited(stream, 5, attribute);
        }

        if (node.Domain.Length > 0)
        {
            ProtoWire.WriteLengthDelimited(stream, 7, Encoding.UTF8.GetBytes(node.Domain));
        }

        return stream.ToArray();
    }

    private static byte[] EncodeTensor(OnnxTensor tensor)
    {
        using var stream = new MemoryStream();
        foreach (var dim in tensor.Dims)
        {
            ProtoWire.WriteVarintField(stream, 1, (ulong)dim);
        }

        ProtoWire.WriteVarintField(stream, 2, (ulong)tensor.DataType);
        ProtoWire.WriteLengthDelimited(stream, 8, Encoding.UTF8.GetBytes(tensor.Name));
        ProtoWire.WriteLengthDelimited(stream, 9, tensor.Raw);
        return stream.ToArray();
    }

    private static byte[] EncodeFloatValueInfo(string name)
    {
        using var tensorType = new MemoryStream();
        ProtoWire.WriteVarintField(tensorType, 1, OnnxTensor.Float);
        using var type = new MemoryStream();
        ProtoWire.WriteLengthDelimited(type, 1, tensorType.ToArray());
        using var valueInfo = new MemoryStream();
        ProtoWire.WriteLengthDelimited(valueInfo, 1, Encoding.UTF8.GetBytes(name));
        ProtoWire.WriteLengthDelimited(valueInfo, 2, type.ToArray());
        return valueInfo.ToArray();
    }

    private static byte[] EncodeOpset(string domain, int version)
    {
        using var stream = new MemoryStream();
        ProtoWire.WriteLengthDelimited(stream, 1, Encoding.UTF8.GetBytes(domain));
        ProtoWire.WriteVarintField(stream, 2, (ulong)version);
        return stream.ToArray();
    }
}
