using System.Globalization;
using BioNer.Onnx.Proto;

namespace BioNer.Onnx.Export;

/// <summary>
/// Appends nodes, constants and initializers to an <see cref="OnnxGraph"/> in topological order. Why a builder: the
/// exporter reads like the model's forward pass (<c>var q = b.Op("MatMul", ...)</c>) while names stay unique, small
/// constants become <c>Constant</c> nodes (deduplicated) and only weights become initializers — the layout
/// <c>torch.onnx.export</c> produces, which keeps <see cref="Checkpoints.OnnxStateDict.Extract"/> able to read an export back.
/// </summary>
internal sealed class ExportGraphBuilder
{
    private readonly Dictionary<string, string> _constants = [];
    private readonly HashSet<string> _names = [];
    private readonly HashSet<string> _initializers = [];

    /// <summary>The graph being built.</summary>
    public OnnxGraph Graph { get; } = new();

    /// <summary>
    /// Adds one node with a single output and returns the output's name (<c>{name}_output_0</c>). <paramref name="name"/>
    /// is the node name, a path such as <c>/encoder/layer.0/attention/self/query/MatMul</c>; a repeat gets a suffix.
    /// </summary>
    public string Op(string opType, string name, IEnumerable<string> inputs, params OnnxAttribute[] attributes) =>
        OpMulti(opType, name, inputs, 1, attributes)[0];

    /// <summary>Adds one node with <paramref name="outputs"/> outputs (e.g. DynamicQuantizeLinear's three).</summary>
    public string[] OpMulti(string opType, string name, IEnumerable<string> inputs, int outputs,
        params OnnxAttribute[] attributes)
    {
        string unique = name;
        for (int i = 1; !_names.Add(unique); i++) unique = $"{name}_{i}";
        var node = new OnnxNode { Name = unique, OpType = opType };
        node.Inputs.AddRange(inputs);
        for (int o = 0; o < outputs; o++) node.Outputs.Add($"{unique}_output_{o}");
        node.Attributes.AddRange(attributes);
        Graph.Nodes.Add(node);
        return [.. node.Outputs];
    }

    /// <summary>Exposes <paramref name="value"/> as the graph output <paramref name="output"/> (through an Identity).</summary>
    public void Output(string value, OnnxValueInfo output)
    {
        var node = new OnnxNode { Name = $"/{output.Name}/Identity", OpType = "Identity" };
        node.Inputs.Add(value);
        node.Outputs.Add(output.Name);
        Graph.Nodes.Add(node);
        Graph.Outputs.Add(output);
    }

    /// <summary>A float scalar constant, shared by every use.</summary>
    public string Float(float value) => Constant(OnnxTensor.FromFloats("", [], [value]), $"f:{value.ToString("R", CultureInfo.InvariantCulture)}");

    /// <summary>A 1-D int64 constant (shapes, axes), shared by every use.</summary>
    public string Int64s(params long[] values) => Constant(OnnxTensor.FromInt64s("", [values.Length], values), "i:" + string.Join(",", values));

    /// <summary>An int64 scalar constant (a Gather index, a CumSum axis, a pad id).</summary>
    public string Int64Scalar(long value) => Constant(OnnxTensor.FromInt64s("", [], [value]), $"s:{value}");

    /// <summary>Adds <paramref name="tensor"/> as an initializer (once per name) and returns its name.</summary>
    public string Initializer(OnnxTensor tensor)
    {
        if (_initializers.Add(tensor.Name)) Graph.Initializers.Add(tensor);
        return tensor.Name;
    }

    private string Constant(OnnxTensor value, string key)
    {
        if (_constants.TryGetValue(key, out var existing)) return existing;
        string name = Op("Constant", $"/Constant_{_constants.Count}", [], OnnxAttribute.TensorValue("value", value));
        _constants[key] = name;
        return name;
    }
}
