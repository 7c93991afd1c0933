namespace BioNer.Onnx.Proto;

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
