using System.Text;

namespace BioNer.Onnx.Proto;

/// <summary>
/// An ONNX <c>AttributeProto</c>: a named, typed constant parameter of a node (<c>axis</c>, <c>epsilon</c>, <c>perm</c>).
/// Only the field selected by <see cref="Type"/> is meaningful; the factories set both.
/// </summary>
public sealed class OnnxAttribute : IProtobufMessage
{
    /// <summary>Attribute name as the operator defines it.</summary>
    public string Name { get; set; } = "";

    /// <summary>Which value field is used.</summary>
    public OnnxAttributeType Type { get; set; }

    /// <summary>FLOAT value.</summary>
    public float F { get; set; }

    /// <summary>INT value.</summary>
    public long I { get; set; }

    /// <summary>STRING value as bytes (ONNX strings are bytes; usually UTF-8).</summary>
    public byte[] S { get; set; } = [];

    /// <summary>TENSOR value.</summary>
    public OnnxTensor? T { get; set; }

    /// <summary>GRAPH value (a control-flow body).</summary>
    public OnnxGraph? G { get; set; }

    /// <summary>FLOATS value.</summary>
    public List<float> Floats { get; } = [];

    /// <summary>INTS value.</summary>
    public List<long> Ints { get; } = [];

    /// <summary>STRINGS value.</summary>
    public List<byte[]> Strings { get; } = [];

    /// <summary>TENSORS value.</summary>
    public List<OnnxTensor> Tensors { get; } = [];

    /// <summary>GRAPHS value.</summary>
    public List<OnnxGraph> Graphs { get; } = [];

    /// <summary>Fields not modelled here (doc_string, ref_attr_name, sparse tensors, type protos).</summary>
    public ProtobufUnknownFields Unknown { get; } = new();

    /// <summary>An INT attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new() { Name = name, Type = OnnxAttributeType.Int, I = value };

    /// <summary>A FLOAT attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new() { Name = name, Type = OnnxAttributeType.Float, F = value };

    /// <summary>A STRING attribute (UTF-8).</summary>
    public static OnnxAttribute String(string name, string value) =>
        new() { Name = name, Type = OnnxAttributeType.String, S = Encoding.UTF8.GetBytes(value) };

    /// <summary>An INTS attribute.</summary>
    public static OnnxAttribute IntList(string name, params long[] values)
    {
        var a = new OnnxAttribute { Name = name, Type = OnnxAttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    /// <summary>A TENSOR attribute (the value of a Constant node).</summary>
    public static OnnxAttribute TensorValue(string name, OnnxTensor value) =>
        new() { Name = name, Type = OnnxAttributeType.Tensor, T = value };

    /// <summary>Parses an encoded <c>AttributeProto</c>.</summary>
    public static OnnxAttribute Parse(ReadOnlySpan<byte> data)
    {
        var a = new OnnxAttribute();
        var r = new ProtobufReader(data);
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: a.Name = r.ReadString(); break;
                case 2: a.F = r.ReadFloat(); break;
                case 3: a.I = r.ReadInt64(); break;
                case 4: a.S = r.ReadBytes().ToArray(); break;
                case 5: a.T = OnnxTensor.Parse(r.ReadBytes()); break;
                case 6: a.G = OnnxGraph.Parse(r.ReadBytes()); break;
                case 7: r.ReadRepeatedFloat(a.Floats); break;
                case 8: r.ReadRepeatedInt64(a.Ints); break;
                case 9: a.Strings.Add(r.ReadBytes().ToArray()); break;
                case 10: a.Tensors.Add(OnnxTensor.Parse(r.ReadBytes())); break;
                case 11: a.Graphs.Add(OnnxGraph.Parse(r.ReadBytes())); break;
                case 20: a.Type = (OnnxAttributeType)r.ReadInt32(); break;
                default: a.Unknown.Add(r.Skip()); break;
            }
        }
        return a;
    }

    /// <inheritdoc />
    public void WriteTo(ProtobufWriter w)
    {
        w.WriteString(1, Name);
        w.WriteFloat(2, F, always: Type == OnnxAttributeType.Float);
        w.WriteInt64(3, I, always: Type == OnnxAttributeType.Int);
        if (Type == OnnxAttributeType.String) w.WriteBytesAlways(4, S);
        else w.WriteBytes(4, S);
        if (T is not null) w.WriteMessage(5, T);
        if (G is not null) w.WriteMessage(6, G);
        w.WritePackedFloat(7, Floats);
        w.WritePackedInt64(8, Ints);
        foreach (var s in Strings) w.WriteBytesAlways(9, s);
        foreach (var t in Tensors) w.WriteMessage(10, t);
        foreach (var g in Graphs) w.WriteMessage(11, g);
        w.WriteInt64(20, (long)Type);
        Unknown.WriteTo(w);
    }
}
