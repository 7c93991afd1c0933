using BioNer.IO;

namespace BioNer.Onnx;

/// <summary>
/// An ONNX <c>ModelProto</c>: the file an exporter writes and ONNX Runtime loads. Why BioNer reads it itself: to take
/// weights out of shipped ONNX models (the offline MiniLM encoder) and, in the other direction, to write the graphs
/// that <c>bioner export</c> produces, with no protobuf package. Fields not modelled are kept and written back.
/// </summary>
public sealed class OnnxModel : IProtobufMessage
{
    /// <summary>ONNX IR version (e.g. 8); ONNX Runtime refuses versions it does not know.</summary>
    public long IrVersion { get; set; }

    /// <summary>Tool that produced the model (e.g. <c>pytorch</c>, <c>bioner</c>).</summary>
    public string ProducerName { get; set; } = "";

    /// <summary>Version of <see cref="ProducerName"/>.</summary>
    public string ProducerVersion { get; set; } = "";

    /// <summary>Reverse-DNS model namespace; usually empty.</summary>
    public string Domain { get; set; } = "";

    /// <summary>Model version number.</summary>
    public long ModelVersion { get; set; }

    /// <summary>Human-readable description.</summary>
    public string DocString { get; set; } = "";

    /// <summary>The computation.</summary>
    public OnnxGraph Graph { get; set; } = new();

    /// <summary>Operator sets the graph uses (the default domain <c>""</c> with its opset version, at least).</summary>
    public List<OnnxOpset> OpsetImports { get; } = [];

    /// <summary>Free key/value metadata (<c>metadata_props</c>), e.g. the label names of an exported tagger.</summary>
    public List<KeyValuePair<string, string>> MetadataProps { get; } = [];

    /// <summary>Fields not modelled here (training info, functions, ...).</summary>
    public ProtobufUnknownFields Unknown { get; } = new();

    /// <summary>Parses an encoded <c>ModelProto</c>; malformed bytes throw <see cref="InvalidDataException"/>.</summary>
    public static OnnxModel Parse(ReadOnlySpan<byte> data)
    {
        var m = new OnnxModel();
        var r = new ProtobufReader(data);
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: m.IrVersion = r.ReadInt64(); break;
                case 2: m.ProducerName = r.ReadString(); break;
                case 3: m.ProducerVersion = r.ReadString(); break;
                case 4: m.Domain = r.ReadString(); break;
                case 5: m.ModelVersion = r.ReadInt64(); break;
                case 6: m.DocString = r.ReadString(); break;
                case 7: m.Graph = OnnxGraph.Parse(r.ReadBytes()); break;
                case 8: m.OpsetImports.Add(OnnxOpset.Parse(r.ReadBytes())); break;
                case 14: m.MetadataProps.Add(ParseEntry(r.ReadBytes())); break;
                default: m.Unknown.Add(r.Skip()); break;
            }
        }
        return m;
    }

    /// <summary>Reads an ONNX file; a file that is not a valid model is a <see cref="BioNerException"/> naming it.</summary>
    public static OnnxModel Load(string path)
    {
        if (!File.Exists(path)) throw new BioNerException("ONNX model file not found.", path);
        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (InvalidDataException e)
        {
            throw new BioNerException($"not a valid ONNX model: {e.Message}", path, inner: e);
        }
    }

    /// <summary>Reads an ONNX model from a stream (e.g. an embedded resource).</summary>
    public static OnnxModel Load(Stream stream)
    {
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return Parse(ms.GetBuffer().AsSpan(0, (int)ms.Length));
    }

    /// <summary>Encodes the model to bytes (what ONNX Runtime's <c>InferenceSession(byte[])</c> accepts).</summary>
    public byte[] ToBytes() => ProtobufWriter.ToBytes(this);

    /// <summary>Writes the model to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.Write(path, s => WriteTo(new ProtobufWriter(s)));

    /// <inheritdoc />
    public void WriteTo(ProtobufWriter w)
    {
        w.WriteInt64(1, IrVersion, always: true);
        w.WriteString(2, ProducerName);
        w.WriteString(3, ProducerVersion);
        w.WriteString(4, Domain);
        w.WriteInt64(5, ModelVersion);
        w.WriteString(6, DocString);
        w.WriteMessage(7, Graph);
        foreach (var o in OpsetImports) w.WriteMessage(8, o);
        foreach (var (key, value) in MetadataProps)
            w.WriteMessage(14, e => { e.WriteString(1, key); e.WriteString(2, value); });
        Unknown.WriteTo(w);
    }

    private static KeyValuePair<string, string> ParseEntry(ReadOnlySpan<byte> data)
    {
        string key = "", value = "";
        var r = new ProtobufReader(data);
        while (r.Next())
        {
            if (r.Field == 1) key = r.ReadString();
            else if (r.Field == 2) value = r.ReadString();
            else r.Skip();
        }
        return new(key, value);
    }
}

/// <summary>An ONNX <c>OperatorSetIdProto</c>: operator domain (<c>""</c> = the standard ops) and its version.</summary>
public sealed record OnnxOpset(string Domain, long Version) : IProtobufMessage
{
    /// <summary>Parses an encoded <c>OperatorSetIdProto</c>.</summary>
    public static OnnxOpset Parse(ReadOnlySpan<byte> data)
    {
        string domain = "";
        long version = 0;
        var r = new ProtobufReader(data);
        while (r.Next())
        {
            if (r.Field == 1) domain = r.ReadString();
            else if (r.Field == 2) version = r.ReadInt64();
            else r.Skip();
        }
        return new(domain, version);
    }

    /// <inheritdoc />
    public void WriteTo(ProtobufWriter w)
    {
        w.WriteString(1, Domain);
        w.WriteInt64(2, Version, always: true);
    }
}

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
