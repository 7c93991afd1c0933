using BioNer.IO;

namespace BioNer.Onnx.Proto;

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
