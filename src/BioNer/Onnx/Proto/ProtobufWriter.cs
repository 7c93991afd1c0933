using System.Buffers.Binary;
using System.Text;

namespace BioNer.Onnx.Proto;

/// <summary>
/// Writes the protobuf wire format to a stream. Why a counting mode: a sub-message is preceded by its byte length, so
/// the writer first runs the message against a counting writer (which adds up sizes without copying a byte) and then
/// writes it for real. Large tensors are therefore streamed once, never buffered per nesting level.
/// Default values (0, empty) are skipped unless <c>always</c> is set: ONNX is a proto2 schema, where a reader may ask
/// whether a field is present (ONNX Runtime checks <c>has_i()</c> on an INT attribute), so such fields pass <c>always</c>.
/// </summary>
public sealed class ProtobufWriter
{
    private readonly Stream? _out;
    private readonly byte[] _scratch = new byte[10];

    /// <summary>Creates a writer that encodes to <paramref name="output"/>.</summary>
    public ProtobufWriter(Stream output) => _out = output;

    private ProtobufWriter() => _out = null;

    /// <summary>Bytes written (or counted) so far.</summary>
    public long Length { get; private set; }

    /// <summary>Encodes <paramref name="message"/> to a new byte array.</summary>
    public static byte[] ToBytes(IProtobufMessage message)
    {
        using var ms = new MemoryStream();
        message.WriteTo(new ProtobufWriter(ms));
        return ms.ToArray();
    }

    /// <summary>Size in bytes of <paramref name="message"/>'s encoding, without producing it.</summary>
    public static long SizeOf(IProtobufMessage message)
    {
        var counter = new ProtobufWriter();
        message.WriteTo(counter);
        return counter.Length;
    }

    /// <summary>Writes a varint field (int32/int64/enum); skipped when 0 unless <paramref name="always"/>.</summary>
    public void WriteInt64(int field, long value, bool always = false)
    {
        if (value == 0 && !always) return;
        Tag(field, WireType.Varint);
        Varint((ulong)value);
    }

    /// <summary>Writes a <c>float</c> field; skipped when +0 unless <paramref name="always"/>.</summary>
    public void WriteFloat(int field, float value, bool always = false)
    {
        if (BitConverter.SingleToInt32Bits(value) == 0 && !always) return;
        Tag(field, WireType.Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(_scratch, value);
        Raw(_scratch.AsSpan(0, 4));
    }

    /// <summary>Writes a <c>string</c> field; skipped when null or empty.</summary>
    public void WriteString(int field, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        WriteBytes(field, Encoding.UTF8.GetBytes(value));
    }

    /// <summary>Writes a <c>bytes</c> field; skipped when empty.</summary>
    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) return;
        WriteBytesAlways(field, value);
    }

    /// <summary>Writes a <c>bytes</c> field even when empty (repeated bytes elements must keep their place).</summary>
    public void WriteBytesAlways(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, WireType.LengthDelimited);
        Varint((ulong)value.Length);
        Raw(value);
    }

    /// <summary>Writes a sub-message field (always present, even when it encodes to nothing).</summary>
    public void WriteMessage(int field, IProtobufMessage message)
    {
        Tag(field, WireType.LengthDelimited);
        Varint((ulong)SizeOf(message));
        message.WriteTo(this);
    }

    /// <summary>Writes a sub-message whose fields <paramref name="writeFields"/> writes (for small inline messages).</summary>
    public void WriteMessage(int field, Action<ProtobufWriter> writeFields) =>
        WriteMessage(field, new DelegateMessage(writeFields));

    /// <summary>Writes a repeated varint field packed (proto3 default); skipped when empty.</summary>
    public void WritePackedInt64(int field, IReadOnlyList<long> values)
    {
        if (values.Count == 0) return;
        long size = 0;
        foreach (long v in values) size += VarintSize((ulong)v);
        Tag(field, WireType.LengthDelimited);
        Varint((ulong)size);
        foreach (long v in values) Varint((ulong)v);
    }

    /// <summary>Writes a repeated float field packed; skipped when empty.</summary>
    public void WritePackedFloat(int field, IReadOnlyList<float> values)
    {
        if (values.Count == 0) return;
        Tag(field, WireType.LengthDelimited);
        Varint((ulong)values.Count * 4);
        foreach (float v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(_scratch, v);
            Raw(_scratch.AsSpan(0, 4));
        }
    }

    /// <summary>Writes a repeated double field packed; skipped when empty.</summary>
    public void WritePackedDouble(int field, IReadOnlyList<double> values)
    {
        if (values.Count == 0) return;
        Tag(field, WireType.LengthDelimited);
        Varint((ulong)values.Count * 8);
        foreach (double v in values)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(_scratch, v);
            Raw(_scratch.AsSpan(0, 8));
        }
    }

    /// <summary>Writes already-encoded fields verbatim (unknown fields kept by a reader).</summary>
    public void WriteRaw(ReadOnlySpan<byte> encodedFields) => Raw(encodedFields);

    private void Tag(int field, WireType wire) => Varint(((ulong)field << 3) | (ulong)wire);

    private void Varint(ulong v)
    {
        int n = 0;
        while (v >= 0x80)
        {
            _scratch[n++] = (byte)(v | 0x80);
            v >>= 7;
        }
        _scratch[n++] = (byte)v;
        Raw(_scratch.AsSpan(0, n));
    }

    private static int VarintSize(ulong v)
    {
        int n = 1;
        while (v >= 0x80) { v >>= 7; n++; }
        return n;
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        _out?.Write(bytes);
        Length += bytes.Length;
    }

    private sealed class DelegateMessage(Action<ProtobufWriter> write) : IProtobufMessage
    {
        public void WriteTo(ProtobufWriter w) => write(w);
    }
}
