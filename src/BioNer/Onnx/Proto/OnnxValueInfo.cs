namespace BioNer.Onnx.Proto;

/// <summary>
/// An ONNX <c>ValueInfoProto</c> for a tensor: a graph input/output's name, element type and (possibly symbolic) shape.
/// Why: callers bind ONNX Runtime inputs by these names (<c>input_ids</c>, <c>attention_mask</c>) and check the shapes.
/// A non-tensor type (sequence, map) is kept as its encoded <c>TypeProto</c> in <see cref="OtherType"/>.
/// </summary>
public sealed class OnnxValueInfo : IProtobufMessage
{
    /// <summary>Value name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Tensor element type.</summary>
    public OnnxDataType ElemType { get; set; }

    /// <summary>Declared shape, outermost first; null when the rank is unknown.</summary>
    public List<OnnxDim>? Shape { get; set; }

    /// <summary>The encoded <c>TypeProto</c> when it is not a tensor type, else null.</summary>
    public byte[]? OtherType { get; set; }

    /// <summary>Fields not modelled here (doc_string, metadata).</summary>
    public ProtobufUnknownFields Unknown { get; } = new();

    /// <summary>A tensor value with the given element type and shape.</summary>
    public static OnnxValueInfo Tensor(string name, OnnxDataType elemType, params OnnxDim[] shape) =>
        new() { Name = name, ElemType = elemType, Shape = [.. shape] };

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: {ElemType}[{(Shape is null ? "?" : string.Join(", ", Shape))}]";

    /// <summary>Parses an encoded <c>ValueInfoProto</c>.</summary>
    public static OnnxValueInfo Parse(ReadOnlySpan<byte> data)
    {
        var v = new OnnxValueInfo();
        var r = new ProtobufReader(data);
        while (r.Next())
        {
            if (r.Field == 1) v.Name = r.ReadString();
            else if (r.Field == 2) v.ParseType(r.ReadBytes());
            else v.Unknown.Add(r.Skip());
        }
        return v;
    }

    // TypeProto { tensor_type = 1 : Tensor { elem_type = 1; shape = 2 : TensorShapeProto { dim = 1 } } }
    private void ParseType(ReadOnlySpan<byte> typeProto)
    {
        var r = new ProtobufReader(typeProto);
        bool isTensor = false;
        while (r.Next())
        {
            if (r.Field != 1) { r.Skip(); continue; }
            isTensor = true;
            var tr = new ProtobufReader(r.ReadBytes());
            while (tr.Next())
            {
                if (tr.Field == 1) ElemType = (OnnxDataType)tr.ReadInt32();
                else if (tr.Field == 2) Shape = ParseShape(tr.ReadBytes());
                else tr.Skip();
            }
        }
        if (!isTensor) OtherType = typeProto.ToArray();
    }

    private static List<OnnxDim> ParseShape(ReadOnlySpan<byte> shapeProto)
    {
        var dims = new List<OnnxDim>();
        var r = new ProtobufReader(shapeProto);
        while (r.Next())
        {
            if (r.Field != 1) { r.Skip(); continue; }
            long? value = null;
            string? param = null;
            var dr = new ProtobufReader(r.ReadBytes());
            while (dr.Next())
            {
                if (dr.Field == 1) value = dr.ReadInt64();
                else if (dr.Field == 2) param = dr.ReadString();
                else dr.Skip();
            }
            dims.Add(new OnnxDim(value, param));
        }
        return dims;
    }

    /// <inheritdoc />
    public void WriteTo(ProtobufWriter w)
    {
        w.WriteString(1, Name);
        if (OtherType is not null) w.WriteBytesAlways(2, OtherType);
        else w.WriteMessage(2, type => type.WriteMessage(1, WriteTensorType));
        Unknown.WriteTo(w);
    }

    private void WriteTensorType(ProtobufWriter w)
    {
        w.WriteInt64(1, (long)ElemType, always: true);
        if (Shape is null) return;
        w.WriteMessage(2, shape =>
        {
            foreach (var d in Shape)
                shape.WriteMessage(1, dim =>
                {
                    if (d.Value is long v) dim.WriteInt64(1, v, always: true);
                    else if (d.Param is not null) dim.WriteString(2, d.Param);
                });
        });
    }
}
