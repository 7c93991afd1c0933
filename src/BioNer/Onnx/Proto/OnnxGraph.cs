namespace BioNer.Onnx.Proto;

/// <summary>
/// An ONNX <c>GraphProto</c>: nodes in topological order, the constant weights (initializers) they read, and the
/// declared graph inputs and outputs.
/// </summary>
public sealed class OnnxGraph : IProtobufMessage
{
    /// <summary>Graph name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Operations, in topological order.</summary>
    public List<OnnxNode> Nodes { get; } = [];

    /// <summary>Named constant tensors (weights, shape constants).</summary>
    public List<OnnxTensor> Initializers { get; } = [];

    /// <summary>Inputs the caller feeds (e.g. <c>input_ids</c> [batch, sequence]).</summary>
    public List<OnnxValueInfo> Inputs { get; } = [];

    /// <summary>Outputs the graph produces (e.g. <c>last_hidden_state</c> [batch, sequence, hidden]).</summary>
    public List<OnnxValueInfo> Outputs { get; } = [];

    /// <summary>Type/shape annotations of intermediate values.</summary>
    public List<OnnxValueInfo> ValueInfo { get; } = [];

    /// <summary>Fields not modelled here (doc_string, sparse initializers, quantization annotations).</summary>
    public ProtobufUnknownFields Unknown { get; } = new();

    /// <summary>Parses an encoded <c>GraphProto</c>.</summary>
    public static OnnxGraph Parse(ReadOnlySpan<byte> data)
    {
        var g = new OnnxGraph();
        var r = new ProtobufReader(data);
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: g.Nodes.Add(OnnxNode.Parse(r.ReadBytes())); break;
                case 2: g.Name = r.ReadString(); break;
                case 5: g.Initializers.Add(OnnxTensor.Parse(r.ReadBytes())); break;
                case 11: g.Inputs.Add(OnnxValueInfo.Parse(r.ReadBytes())); break;
                case 12: g.Outputs.Add(OnnxValueInfo.Parse(r.ReadBytes())); break;
                case 13: g.ValueInfo.Add(OnnxValueInfo.Parse(r.ReadBytes())); break;
                default: g.Unknown.Add(r.Skip()); break;
            }
        }
        return g;
    }

    /// <inheritdoc />
    public void WriteTo(ProtobufWriter w)
    {
        foreach (var n in Nodes) w.WriteMessage(1, n);
        w.WriteString(2, Name);
        foreach (var t in Initializers) w.WriteMessage(5, t);
        foreach (var v in Inputs) w.WriteMessage(11, v);
        foreach (var v in Outputs) w.WriteMessage(12, v);
        foreach (var v in ValueInfo) w.WriteMessage(13, v);
        Unknown.WriteTo(w);
    }
}
