namespace BioNer.Onnx.Proto;

/// <summary>
/// An ONNX <c>NodeProto</c>: one operator application. Inputs and outputs are value names; an empty input name means
/// an omitted optional input, so empty names are kept in place.
/// </summary>
public sealed class OnnxNode : IProtobufMessage
{
    /// <summary>Names of the values read, in operator argument order.</summary>
    public List<string> Inputs { get; } = [];

    /// <summary>Names of the values produced.</summary>
    public List<string> Outputs { get; } = [];

    /// <summary>Node name (unique within a graph when set; e.g. <c>/encoder/layer.0/attention/self/query/MatMul</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>Operator (<c>MatMul</c>, <c>Add</c>, <c>LayerNormalization</c>, ...).</summary>
    public string OpType { get; set; } = "";

    /// <summary>Operator domain; empty for the standard ONNX operators.</summary>
    public string Domain { get; set; } = "";

    /// <summary>Constant parameters of the operator.</summary>
    public List<OnnxAttribute> Attributes { get; } = [];

    /// <summary>Fields not modelled here (doc_string, overload, metadata).</summary>
    public ProtobufUnknownFields Unknown { get; } = new();

    /// <summary>The attribute called <paramref name="name"/>, or null.</summary>
    public OnnxAttribute? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);

    /// <inheritdoc />
    public override string ToString() => $"{OpType} {Name}({string.Join(", ", Inputs)}) -> {string.Join(", ", Outputs)}";

    /// <summary>Parses an encoded <c>NodeProto</c>.</summary>
    public static OnnxNode Parse(ReadOnlySpan<byte> data)
    {
        var n = new OnnxNode();
        var r = new ProtobufReader(data);
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: n.Inputs.Add(r.ReadString()); break;
                case 2: n.Outputs.Add(r.ReadString()); break;
                case 3: n.Name = r.ReadString(); break;
                case 4: n.OpType = r.ReadString(); break;
                case 5: n.Attributes.Add(OnnxAttribute.Parse(r.ReadBytes())); break;
                case 7: n.Domain = r.ReadString(); break;
                default: n.Unknown.Add(r.Skip()); break;
            }
        }
        return n;
    }

    /// <inheritdoc />
    public void WriteTo(ProtobufWriter w)
    {
        foreach (var i in Inputs) w.WriteBytesAlways(1, System.Text.Encoding.UTF8.GetBytes(i));
        foreach (var o in Outputs) w.WriteBytesAlways(2, System.Text.Encoding.UTF8.GetBytes(o));
        w.WriteString(3, Name);
        w.WriteString(4, OpType);
        foreach (var a in Attributes) w.WriteMessage(5, a);
        w.WriteString(7, Domain);
        Unknown.WriteTo(w);
    }
}
