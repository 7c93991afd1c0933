using BioNer.Onnx.Proto;

namespace BioNer.Onnx.Export;

/// <summary>
/// Dynamic 8-bit quantization of an exported graph, as ONNX Runtime's <c>quantize_dynamic</c> does it: every
/// <c>MatMul</c> whose right operand is a 2-D float weight W [K, N] becomes
/// <c>DynamicQuantizeLinear(x) → MatMulInteger(x_q, W_q, x_zp, W_zp) → Cast → Mul(x_scale · W_scale)</c>, so weights
/// shrink 4× and the products run in integer arithmetic, while activations are quantized per call from their actual
/// range. Only standard ONNX operators are used, so any ONNX Runtime (onnxruntime-node/-web in transformers.js too)
/// runs it, and ORT fuses the chain into its <c>MatMulIntegerToFloat</c> kernel.
/// Weights are quantized per output column (scale [N]) and symmetrically, stored as uint8 with zero point 128:
/// uint8 × uint8 avoids the int16 saturation that uint8 × int8 kernels suffer on x86 CPUs without VNNI.
/// </summary>
public static class OnnxQuantizer
{
    /// <summary>
    /// Returns a quantized copy of <paramref name="model"/> (the input is not changed). Float weights no longer read by
    /// any node are dropped. <paramref name="include"/> picks the weight MatMuls to quantize (null = all; ORT's
    /// <c>nodes_to_exclude</c> in reverse). <paramref name="log"/> gets one summary line.
    /// </summary>
    public static OnnxModel QuantizeDynamic(OnnxModel model, Action<string>? log = null, Func<OnnxNode, bool>? include = null)
    {
        var source = model.Graph;
        var init = source.Initializers.ToDictionary(t => t.Name);
        var graph = new OnnxGraph { Name = source.Name };
        graph.Inputs.AddRange(source.Inputs);
        graph.Outputs.AddRange(source.Outputs);
        var quantizedInputs = new Dictionary<string, string[]>(); // activation → (x_q, x_scale, x_zp), shared by Q/K/V
        int count = 0;
        long before = 0, after = 0;
        foreach (var node in source.Nodes)
        {
            if (node.OpType != "MatMul" || node.Domain != "" || !init.TryGetValue(node.Inputs[1], out var w)
                || w.DataType != OnnxDataType.Float || w.Dims.Count != 2 || include?.Invoke(node) == false)
            {
                graph.Nodes.Add(node);
                continue;
            }
            if (!quantizedInputs.TryGetValue(node.Inputs[0], out var xq))
                quantizedInputs[node.Inputs[0]] = xq = QuantizeActivation(graph, node);
            var (wq, scale, zeroPoint) = QuantizeWeight(w);
            graph.Initializers.AddRange([wq, scale, zeroPoint]);
            string n = node.Name.Length > 0 ? node.Name : node.Outputs[0];
            Add(graph, "MatMulInteger", $"{n}_quant", [xq[0], wq.Name, xq[2], zeroPoint.Name], [$"{n}_quant_int32"]);
            Add(graph, "Cast", $"{n}_quant_cast", [$"{n}_quant_int32"], [$"{n}_quant_float"],
                OnnxAttribute.Int("to", (long)OnnxDataType.Float));
            Add(graph, "Mul", $"{n}_quant_scales", [xq[1], scale.Name], [$"{n}_quant_scale"]);
            Add(graph, "Mul", $"{n}_quant_output", [$"{n}_quant_float", $"{n}_quant_scale"], [node.Outputs[0]]);
            count++;
            before += w.RawData.Length;
            after += wq.RawData.Length + scale.RawData.Length;
        }
        var used = graph.Nodes.SelectMany(x => x.Inputs).ToHashSet();
        graph.Initializers.InsertRange(0, source.Initializers.Where(t => used.Contains(t.Name)));
        var result = new OnnxModel
        {
            IrVersion = model.IrVersion, ProducerName = model.ProducerName, ProducerVersion = model.ProducerVersion,
            ModelVersion = model.ModelVersion, DocString = model.DocString, Graph = graph,
        };
        result.OpsetImports.AddRange(model.OpsetImports);
        result.MetadataProps.AddRange(model.MetadataProps);
        result.MetadataProps.Add(new("quantization", "dynamic uint8, per-column symmetric weights (zero point 128)"));
        log?.Invoke($"quantized {count} MatMul weights: {before / 1e6:0.0} MB → {after / 1e6:0.0} MB");
        return result;
    }

    private static string[] QuantizeActivation(OnnxGraph graph, OnnxNode matMul)
    {
        string n = (matMul.Name.Length > 0 ? matMul.Name : matMul.Outputs[0]) + "_input";
        string[] outputs = [$"{n}_quantized", $"{n}_scale", $"{n}_zero_point"];
        Add(graph, "DynamicQuantizeLinear", $"{n}_DynamicQuantizeLinear", [matMul.Inputs[0]], outputs);
        return outputs;
    }

    // W [K, N] float → W_q uint8 [K, N] = round(W / s_n) + 128, s_n = max_k |W[k, n]| / 127, zero point 128 per column.
    private static (OnnxTensor Weight, OnnxTensor Scale, OnnxTensor ZeroPoint) QuantizeWeight(OnnxTensor w)
    {
        int k = (int)w.Dims[0], n = (int)w.Dims[1];
        float[] values = w.ToFloats();
        var scales = new float[n];
        for (int r = 0; r < k; r++)
            for (int c = 0; c < n; c++) scales[c] = Math.Max(scales[c], Math.Abs(values[r * n + c]));
        for (int c = 0; c < n; c++) scales[c] = scales[c] > 0 ? scales[c] / 127f : 1f;
        var q = new byte[values.Length];
        for (int r = 0; r < k; r++)
            for (int c = 0; c < n; c++)
                q[r * n + c] = (byte)(Math.Clamp((int)MathF.Round(values[r * n + c] / scales[c]), -127, 127) + 128);
        var weight = new OnnxTensor { Name = $"{w.Name}_quantized", DataType = OnnxDataType.UInt8, RawData = q };
        weight.Dims.AddRange([k, n]);
        var zeroPoint = new OnnxTensor { Name = $"{w.Name}_zero_point", DataType = OnnxDataType.UInt8, RawData = Enumerable.Repeat((byte)128, n).ToArray() };
        zeroPoint.Dims.Add(n);
        return (weight, OnnxTensor.FromFloats($"{w.Name}_scale", [n], scales), zeroPoint);
    }

    private static void Add(OnnxGraph graph, string op, string name, string[] inputs, string[] outputs,
        params OnnxAttribute[] attributes)
    {
        var node = new OnnxNode { OpType = op, Name = name };
        node.Inputs.AddRange(inputs);
        node.Outputs.AddRange(outputs);
        node.Attributes.AddRange(attributes);
        graph.Nodes.Add(node);
    }
}
