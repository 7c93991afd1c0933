using BioNer.Onnx.Proto;

namespace BioNer.Checkpoints;

/// <summary>
/// Recovers a PyTorch/HuggingFace state dict from an ONNX graph that <c>torch.onnx.export</c> produced. Why it is
/// needed: the exporter keeps parameters' names for biases, LayerNorms and embeddings, but turns every
/// <c>nn.Linear</c> weight into an anonymous, transposed initializer ([in, out]) read by a <c>MatMul</c>. Each such
/// weight is found through the <c>Add</c> that adds the named <c>&lt;module&gt;.bias</c> to the <c>MatMul</c>'s output,
/// and transposed back to <c>&lt;module&gt;.weight</c> [out, in].
/// </summary>
public static class OnnxStateDict
{
    /// <summary>What <see cref="Extract"/> found.</summary>
    /// <param name="Tensors">Every float parameter, named <c>prefix + torch name</c>, in graph initializer order.</param>
    /// <param name="RecoveredLinearWeights">How many weights came from anonymous MatMul initializers.</param>
    public sealed record Result(IReadOnlyList<NamedTensor> Tensors, int RecoveredLinearWeights);

    /// <summary>
    /// Maps <paramref name="graph"/>'s initializers to state-dict tensors named <paramref name="prefix"/> + the torch
    /// name (the prefix is not added twice). Fails with <see cref="InvalidDataException"/> naming the tensors when a
    /// float initializer stays unmapped, a bias has no weight, or a weight's shape disagrees with its bias.
    /// </summary>
    public static Result Extract(OnnxGraph graph, string prefix = "")
    {
        var init = graph.Initializers.ToDictionary(t => t.Name);
        var producer = new Dictionary<string, OnnxNode>();
        foreach (var n in graph.Nodes)
            foreach (var o in n.Outputs) producer[o] = n;

        var named = new List<NamedTensor>();
        foreach (var t in graph.Initializers.Where(t => IsTorchName(t.Name) && t.DataType == OnnxDataType.Float))
            named.Add(new NamedTensor(t.Name, [.. t.Dims], t.ToFloats()));

        var recovered = RecoverLinearWeights(graph, init, producer, out var usedAnonymous);
        var all = named.Concat(recovered).ToDictionary(t => t.Name);
        CheckComplete(graph, all, usedAnonymous);

        var ordered = new List<NamedTensor>();
        foreach (var t in named)
        {
            string module = ModuleOf(t.Name);
            if (t.Name.EndsWith(".bias", StringComparison.Ordinal) && recovered.FirstOrDefault(r => r.Name == module + ".weight") is { } w)
                ordered.Add(w with { Name = Prefixed(prefix, w.Name) });
            ordered.Add(t with { Name = Prefixed(prefix, t.Name) });
        }
        return new Result(ordered, recovered.Count);
    }

    // Add(bias, MatMul(x, W)) or Add(MatMul(x, W), bias) with W an anonymous 2-D float initializer [in, out].
    private static List<NamedTensor> RecoverLinearWeights(
        OnnxGraph graph, Dictionary<string, OnnxTensor> init, Dictionary<string, OnnxNode> producer, out HashSet<string> used)
    {
        var result = new List<NamedTensor>();
        used = [];
        foreach (var add in graph.Nodes.Where(n => n.OpType == "Add" && n.Inputs.Count == 2))
        {
            string? bias = add.Inputs.FirstOrDefault(i => i.EndsWith(".bias", StringComparison.Ordinal) && init.ContainsKey(i));
            if (bias is null) continue;
            string other = add.Inputs[0] == bias ? add.Inputs[1] : add.Inputs[0];
            if (!producer.TryGetValue(other, out var mm) || mm.OpType != "MatMul") continue;
            if (!init.TryGetValue(mm.Inputs[1], out var w) || IsTorchName(w.Name) || w.DataType != OnnxDataType.Float) continue;
            if (w.Dims.Count != 2)
                throw new InvalidDataException($"ONNX initializer '{w.Name}' feeding '{bias}' has shape [{string.Join(", ", w.Dims)}], expected 2-D.");
            if (!used.Add(w.Name))
                throw new InvalidDataException($"ONNX initializer '{w.Name}' is the weight of more than one biased MatMul.");
            result.Add(new NamedTensor(ModuleOf(bias) + ".weight", [w.Dims[1], w.Dims[0]], Transpose(w.ToFloats(), (int)w.Dims[0], (int)w.Dims[1])));
        }
        return result;
    }

    private static void CheckComplete(OnnxGraph graph, Dictionary<string, NamedTensor> all, HashSet<string> usedAnonymous)
    {
        var unmapped = graph.Initializers
            .Where(t => t.DataType == OnnxDataType.Float && !IsTorchName(t.Name) && !usedAnonymous.Contains(t.Name))
            .Select(t => $"{t.Name} [{string.Join(", ", t.Dims)}]").ToList();
        if (unmapped.Count > 0)
            throw new InvalidDataException($"ONNX float initializers not mapped to any parameter: {string.Join(", ", unmapped)}.");
        var problems = new List<string>();
        foreach (var bias in all.Values.Where(t => t.Name.EndsWith(".bias", StringComparison.Ordinal)))
        {
            if (!all.TryGetValue(ModuleOf(bias.Name) + ".weight", out var w)) problems.Add($"no weight for {bias.Name}");
            else if (w.Shape[0] != bias.Shape[0])
                problems.Add($"{w.Name} [{string.Join(", ", w.Shape)}] does not match {bias.Name} [{bias.Shape[0]}]");
        }
        if (problems.Count > 0) throw new InvalidDataException($"ONNX weights inconsistent: {string.Join("; ", problems)}.");
    }

    private static float[] Transpose(float[] data, int rows, int cols)
    {
        var t = new float[data.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) t[c * rows + r] = data[r * cols + c];
        return t;
    }

    // torch.onnx keeps parameter names ("encoder.layer.0.output.dense.bias"); its own constants are numbers or "onnx::...".
    private static bool IsTorchName(string name) =>
        name.Contains('.') && !name.StartsWith("onnx::", StringComparison.Ordinal) && !char.IsDigit(name[0]);

    private static string ModuleOf(string parameter) => parameter[..parameter.LastIndexOf('.')];

    private static string Prefixed(string prefix, string name) =>
        prefix.Length == 0 || name.StartsWith(prefix, StringComparison.Ordinal) ? name : prefix + name;
}
