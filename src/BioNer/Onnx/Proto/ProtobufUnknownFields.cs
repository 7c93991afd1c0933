namespace BioNer.Onnx.Proto;

/// <summary>
/// The fields of a message that its class does not model (doc strings, metadata, newer ONNX additions), kept as their
/// encoded bytes. Why: parse → write must not silently drop anything, so a rewritten model stays what it was.
/// </summary>
public sealed class ProtobufUnknownFields
{
    private MemoryStream? _bytes;

    /// <summary>Encoded size of the kept fields in bytes (0 when the message had none).</summary>
    public long Length => _bytes?.Length ?? 0;

    /// <summary>Keeps one complete encoded field (tag and payload), as returned by <see cref="ProtobufReader.Skip"/>.</summary>
    public void Add(ReadOnlySpan<byte> encodedField) => (_bytes ??= new MemoryStream()).Write(encodedField);

    /// <summary>Writes the kept fields back verbatim.</summary>
    public void WriteTo(ProtobufWriter w)
    {
        if (_bytes is not null) w.WriteRaw(_bytes.GetBuffer().AsSpan(0, (int)_bytes.Length));
    }
}
