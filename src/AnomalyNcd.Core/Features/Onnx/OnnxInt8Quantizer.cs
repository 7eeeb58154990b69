namespace AnomalyNcd.Core.Features.Onnx;

/// <summary>
/// Rewrites a float convolutional network (Conv, BatchNormalization, Relu, Add, MaxPool — the ResNet18 of
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 up to any stage) into a statically quantised QDQ model that ONNX Runtime
/// fuses into QLinearConv / QLinearAdd and runs with its u8s8 integer kernels.
/// </summary>
/// <remarks>
/// <para>Rewrite: only the nodes the requested outputs depend on are kept. Each BatchNormalization is folded into the
/// Conv before it (w·γ/√(σ²+ε), β − μ·γ/√(σ²+ε)). A Relu that is the only consumer of a Conv or Add is dropped and the
/// producer's output is quantised with the Relu's range: a zero point of 0 makes the uint8 clamp the ReLU itself.</para>
/// <para>Quantisation: weights per output channel, symmetric int8 (±127); bias int32 with scale x_scale·w_scale[c];
/// activations per tensor, asymmetric uint8 from the calibrated range widened to include 0; MaxPool's output reuses its
/// input's scale so the runtime pools in uint8. Every activation gets QuantizeLinear and one DequantizeLinear per
/// consumer; requested outputs come out of a DequantizeLinear under their original name, as float.</para>
/// <para>The model is written as IR 7 / opset 13 (per-axis DequantizeLinear needs 13). Conv, Relu, Add and MaxPool
/// mean the same at opset 13 as at 8 for float tensors (later versions only add types and MaxPool's optional
/// ceil_mode/dilations, which default to the old behaviour); BatchNormalization, whose <c>spatial</c> attribute left
/// at opset 9, does not survive the folding.</para>
/// </remarks>
public static class OnnxInt8Quantizer
{
    public const int Opset = 13;

    /// <summary>The node outputs whose ranges <see cref="Quantize"/> needs (besides the graph input's), in graph order.</summary>
    public static IReadOnlyList<string> CalibrationTensors(byte[] model, IReadOnlyList<string> outputs)
    {
        var graph = OnnxGraph.Read(model);
        return Needed(graph, outputs).SelectMany(n => n.Outputs).ToList();
    }

    /// <summary>The name of the graph's (single, non-initializer) input.</summary>
    public static string InputName(byte[] model) => OnnxGraph.Read(model).Inputs.Single().Name;

    /// <param name="model">Float ONNX model.</param>
    /// <param name="outputs">Node outputs to return (float, original names).</param>
    /// <param name="ranges">Calibrated range of the graph input and of every tensor in <see cref="CalibrationTensors"/>.</param>
    /// <exception cref="NotSupportedException">The graph holds an operator this rewriter does not handle.</exception>
    /// <exception cref="ArgumentException">A range is missing.</exception>
    public static byte[] Quantize(byte[] model, IReadOnlyList<string> outputs, IReadOnlyDictionary<string, ActivationRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(ranges);
        var source = OnnxGraph.Read(model);
        var nodes = Needed(source, outputs);
        var requested = outputs.ToHashSet(StringComparer.Ordinal);
        var consumers = new Dictionary<string, List<OnnxNode>>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            foreach (var input in node.Inputs)
            {
                if (!consumers.TryGetValue(input, out var list))
                {
                    consumers[input] = list = [];
                }

                list.Add(node);
            }
        }

        OnnxNode? OnlyConsumer(string tensor) =>
            !requested.Contains(tensor) && consumers.TryGetValue(tensor, out var list) && list.Count == 1 ? list[0] : null;

        // Pass 1: the float graph after folding, as (op, inputs, output, attributes, weight, bias, relu range owner).
        var ops = new List<FoldedOp>();
        var absorbed = new HashSet<OnnxNode>();
        foreach (var node in nodes)
        {
            if (absorbed.Contains(node))
            {
                continue;
            }

            switch (node.OpType)
            {
                case "Conv":
                {
                    var weight = Initializer(source, node.Inputs[1]);
                    var w = weight.ToFloats();
                    var outChannels = (int)weight.Dims[0];
                    var perChannel = w.Length / outChannels;
                    var bias = node.Inputs.Count > 2 ? Initializer(source, node.Inputs[2]).ToFloats() : new float[outChannels];
                    var output = node.Outputs[0];
                    if (OnlyConsumer(output) is { OpType: "BatchNormalization" } bn && bn.Inputs[0] == output)
                    {
                        var epsilon = OnnxGraph.FloatAttribute(bn, "epsilon", 1e-5f); // ONNX's default when absent
                        var gamma = Initializer(source, bn.Inputs[1]).ToFloats();
                        var beta = Initializer(source, bn.Inputs[2]).ToFloats();
                        var mean = Initializer(source, bn.Inputs[3]).ToFloats();
                        var variance = Initializer(source, bn.Inputs[4]).ToFloats();
                        for (var c = 0; c < outChannels; c++)
                        {
                            var factor = gamma[c] / MathF.Sqrt(variance[c] + epsilon);
                            for (var k = 0; k < perChannel; k++)
                            {
                                w[c * perChannel + k] *= factor;
                            }

                            bias[c] = beta[c] + (bias[c] - mean[c]) * factor;
                        }

                        absorbed.Add(bn);
                        output = bn.Outputs[0];
                    }

                    var relu = AbsorbRelu(ref output);
                    ops.Add(new FoldedOp("Conv", [node.Inputs[0]], output, node.Attributes, weight.Dims, w, bias, relu));
                    break;
                }

                case "Add":
                {
                    var output = node.Outputs[0];
                    var relu = AbsorbRelu(ref output);
                    ops.Add(new FoldedOp("Add", node.Inputs, output, [], null, null, null, relu));
                    break;
                }

                case "MaxPool":
                    ops.Add(new FoldedOp("MaxPool", node.Inputs, node.Outputs[0], node.Attributes, null, null, null, false));
                    break;
                default:
                    throw new NotSupportedException($"The int8 rewriter does not handle ONNX operator '{node.OpType}' (output '{node.Outputs[0]}').");
            }

            bool AbsorbRelu(ref string output)
            {
                if (OnlyConsumer(output) is { OpType: "Relu" } r)
                {
                    absorbed.Add(r);
                    output = r.Outputs[0];
                    return true;
                }

                return false;
            }
        }

        // Pass 2: the QDQ graph.
        var result = new OnnxGraph();
        result.Inputs.AddRange(source.Inputs);
        var quantized = new Dictionary<string, (float Scale, byte ZeroPoint)>(StringComparer.Ordinal);
        var useCount = new Dictionary<string, int>(StringComparer.Ordinal);

        // Quantises a float tensor named `floatName`, whose uint8 form is tracked under `tensor`.
        void EmitQuantize(string tensor, string floatName, float scale, byte zeroPoint)
        {
            quantized[tensor] = (scale, zeroPoint);
            AddScalar(result, $"{tensor}/scale", scale);
            result.Initializers[$"{tensor}/zero"] = new OnnxTensor($"{tensor}/zero", OnnxTensor.UInt8, [], [zeroPoint]);
            result.Nodes.Add(new OnnxNode("QuantizeLinear", [floatName, $"{tensor}/scale", $"{tensor}/zero"], [$"{tensor}/u8"], []));
            if (requested.Contains(tensor))
            {
                result.Nodes.Add(new OnnxNode("DequantizeLinear", [$"{tensor}/u8", $"{tensor}/scale", $"{tensor}/zero"], [tensor], []));
            }
        }

        // A fresh DequantizeLinear of a quantised tensor for one consumer (the runtime fuses per node unit).
        string Dequantized(string tensor)
        {
            var use = useCount.GetValueOrDefault(tensor);
            useCount[tensor] = use + 1;
            var name = $"{tensor}/dq{use}";
            result.Nodes.Add(new OnnxNode("DequantizeLinear", [$"{tensor}/u8", $"{tensor}/scale", $"{tensor}/zero"], [name], []));
            return name;
        }

        (float Scale, byte ZeroPoint) Parameters(string tensor, bool relu)
        {
            if (!ranges.TryGetValue(tensor, out var range))
            {
                throw new ArgumentException($"No calibrated range for tensor '{tensor}'.", nameof(ranges));
            }

            var min = relu ? 0f : Math.Min(range.Min, 0f);
            var max = Math.Max(range.Max, 0f);
            var scale = max > min ? (max - min) / 255f : 1f;
            var zeroPoint = (byte)Math.Clamp(MathF.Round(-min / scale), 0, 255);
            return (scale, zeroPoint);
        }

        foreach (var input in source.Inputs)
        {
            var (scale, zero) = Parameters(input.Name, relu: false);
            EmitQuantize(input.Name, input.Name, scale, zero);
        }

        foreach (var op in ops)
        {
            var inputs = op.Inputs.Select(i => quantized.ContainsKey(i) ? Dequantized(i) : throw new NotSupportedException($"Input '{i}' of {op.OpType} '{op.Output}' is not an activation.")).ToList();
            var floatOutput = $"{op.Output}/f32";
            (float Scale, byte ZeroPoint) outParameters;
            switch (op.OpType)
            {
                case "Conv":
                {
                    var inputScale = quantized[op.Inputs[0]].Scale;
                    var (weightName, biasName) = AddConvWeights(result, op.Output, op.WeightDims!, op.Weight!, op.Bias!, inputScale);
                    result.Nodes.Add(new OnnxNode("Conv", [inputs[0], weightName, biasName], [floatOutput], op.Attributes));
                    outParameters = Parameters(op.Output, op.Relu);
                    break;
                }

                case "Add":
                    result.Nodes.Add(new OnnxNode("Add", inputs, [floatOutput], []));
                    outParameters = Parameters(op.Output, op.Relu);
                    break;
                default:
                    result.Nodes.Add(new OnnxNode("MaxPool", inputs, [floatOutput], op.Attributes));
                    outParameters = quantized[op.Inputs[0]];
                    break;
            }

            EmitQuantize(op.Output, floatOutput, outParameters.Scale, outParameters.ZeroPoint);
        }

        var missing = outputs.Where(o => !quantized.ContainsKey(o)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"No node produces {string.Join(", ", missing)}.", nameof(outputs));
        }

        return result.Write(outputs, Opset);
    }

    private static (string Weight, string Bias) AddConvWeights(OnnxGraph graph, string output, long[] dims, float[] weight, float[] bias, float inputScale)
    {
        var outChannels = (int)dims[0];
        var perChannel = weight.Length / outChannels;
        var quantizedWeight = new byte[weight.Length];
        var weightScale = new float[outChannels];
        var biasScale = new float[outChannels];
        var quantizedBias = new int[outChannels];
        for (var c = 0; c < outChannels; c++)
        {
            var span = weight.AsSpan(c * perChannel, perChannel);
            var maxAbs = 0f;
            foreach (var v in span)
            {
                maxAbs = Math.Max(maxAbs, MathF.Abs(v));
            }

            var scale = maxAbs > 0 ? maxAbs / 127f : 1f;
            weightScale[c] = scale;
            for (var k = 0; k < perChannel; k++)
            {
                quantizedWeight[c * perChannel + k] = unchecked((byte)(sbyte)Math.Clamp(MathF.Round(span[k] / scale), -127, 127));
            }

            biasScale[c] = inputScale * scale;
            quantizedBias[c] = (int)Math.Clamp(Math.Round(bias[c] / (double)biasScale[c]), int.MinValue, int.MaxValue);
        }

        var name = $"{output}/w";
        graph.Initializers[$"{name}/q"] = new OnnxTensor($"{name}/q", OnnxTensor.Int8, dims, quantizedWeight);
        graph.Initializers[$"{name}/scale"] = OnnxTensor.FromFloats($"{name}/scale", [outChannels], weightScale);
        graph.Initializers[$"{name}/zero"] = new OnnxTensor($"{name}/zero", OnnxTensor.Int8, [outChannels], new byte[outChannels]);
        graph.Nodes.Add(new OnnxNode("DequantizeLinear", [$"{name}/q", $"{name}/scale", $"{name}/zero"], [name], [OnnxGraph.IntAttribute("axis", 0)]));

        var b = $"{output}/b";
        graph.Initializers[$"{b}/q"] = new OnnxTensor($"{b}/q", OnnxTensor.Int32, [outChannels], System.Runtime.InteropServices.MemoryMarshal.AsBytes(quantizedBias.AsSpan()).ToArray());
        graph.Initializers[$"{b}/scale"] = OnnxTensor.FromFloats($"{b}/scale", [outChannels], biasScale);
        graph.Initializers[$"{b}/zero"] = new OnnxTensor($"{b}/zero", OnnxTensor.Int32, [outChannels], new byte[4 * outChannels]);
        graph.Nodes.Add(new OnnxNode("DequantizeLinear", [$"{b}/q", $"{b}/scale", $"{b}/zero"], [b], [OnnxGraph.IntAttribute("axis", 0)]));
        return (name, b);
    }

    private static void AddScalar(OnnxGraph graph, string name, float value) =>
        graph.Initializers[name] = OnnxTensor.FromFloats(name, [], [value]);

    private static OnnxTensor Initializer(OnnxGraph graph, string name) =>
        graph.Initializers.TryGetValue(name, out var tensor) ? tensor : throw new NotSupportedException($"'{name}' is not an initializer; the int8 rewriter needs constant weights and batch-norm statistics.");

    /// <summary>The nodes the outputs depend on, in the graph's (topological) order.</summary>
    private static List<OnnxNode> Needed(OnnxGraph graph, IReadOnlyList<string> outputs)
    {
        var producer = new Dictionary<string, OnnxNode>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            foreach (var output in node.Outputs)
            {
                producer[output] = node;
            }
        }

        var needed = new HashSet<OnnxNode>();
        var pending = new Stack<string>(outputs);
        while (pending.Count > 0)
        {
            var tensor = pending.Pop();
            if (producer.TryGetValue(tensor, out var node) && needed.Add(node))
            {
                foreach (var input in node.Inputs)
                {
                    pending.Push(input);
                }
            }
            else if (!producer.ContainsKey(tensor) && !graph.Initializers.ContainsKey(tensor) && graph.Inputs.All(i => i.Name != tensor))
            {
                throw new ArgumentException($"No node of the ONNX graph produces '{tensor}'.", nameof(outputs));
            }
        }

        return graph.Nodes.Where(needed.Contains).ToList();
    }

    private sealed record FoldedOp(string OpType, IReadOnlyList<string> Inputs, string Output, IReadOnlyList<byte[]> Attributes, long[]? WeightDims, float[]? Weight, float[]? Bias, bool Relu);
}
