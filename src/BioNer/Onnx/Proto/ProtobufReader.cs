using System.Buffers.Binary;
using System.Text;

namespace BioNer.Onnx.Proto;

/// <summary>
/// Reads the protobuf wire format field by field from a byte span. Why hand-written: ONNX needs only a handful of
/// message types, and a 60-line reader keeps BioNer free of a code-generation step and a protobuf runtime package.
/// Usage: <c>while (r.Next()) switch (r.Field) { case 1: x = r.ReadString(); break; default: r.Skip(); break; }</c>.
/// </summary>
public ref struct ProtobufReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;
    private int _fieldStart;

    /// <summary>Starts reading the encoded message <paramref name="data"/>.</summary>
    public ProtobufReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _pos = 0;
    }

    /// <summary>Field number of the current field (valid after <see cref="Next"/> returned true).</summary>
    public int Field { get; private set; }

    /// <summary>Wire type of the current field.</summary>
    public WireType Wire { get; private set; }

    /// <summary>Offset of the current field's tag inside the message, for error messages.</summary>
    public readonly int Position => _fieldStart;

    /// <summary>Moves to the next field's tag; false at the end of the message.</summary>
    public bool Next()
    {
        if (_pos >= _data.Length) return false;
        _fieldStart = _pos;
        ulong tag = ReadRawVarint();
        Field = (int)(tag >> 3);
        Wire = (WireType)(tag & 7);
        if (Field == 0) throw Malformed("field number 0");
        return true;
    }

    /// <summary>Reads a varint field value (int32/int64/enum/bool are all varints; negative int32 uses 10 bytes).</summary>
    public long ReadInt64()
    {
        Expect(WireType.Varint);
        return (long)ReadRawVarint();
    }

    /// <summary>Reads a varint field as a 32-bit value.</summary>
    public int ReadInt32() => (int)ReadInt64();

    /// <summary>Reads a <c>float</c> field (wire type 5).</summary>
    public float ReadFloat()
    {
        Expect(WireType.Fixed32);
        return BinaryPrimitives.ReadSingleLittleEndian(Take(4));
    }

    /// <summary>Reads a <c>double</c> field (wire type 1).</summary>
    public double ReadDouble()
    {
        Expect(WireType.Fixed64);
        return BinaryPrimitives.ReadDoubleLittleEndian(Take(8));
    }

    /// <summary>Reads a length-delimited payload: bytes, a sub-message or a packed array.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        Expect(WireType.LengthDelimited);
        ulong len = ReadRawVarint();
        if (len > (ulong)(_data.Length - _pos)) throw Malformed($"length {len} runs past the end");
        return Take((int)len);
    }

    /// <summary>Reads a UTF-8 <c>string</c> field.</summary>
    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    /// <summary>Appends a repeated varint field, accepting both packed (proto3 default) and unpacked encodings.</summary>
    public void ReadRepeatedInt64(List<long> into)
    {
        if (Wire != WireType.LengthDelimited) { into.Add(ReadInt64()); return; }
        var inner = new ProtobufReader(ReadBytes());
        while (inner._pos < inner._data.Length) into.Add((long)inner.ReadRawVarint());
    }

    /// <summary>Appends a repeated float field, accepting packed and unpacked encodings.</summary>
    public void ReadRepeatedFloat(List<float> into)
    {
        if (Wire != WireType.LengthDelimited) { into.Add(ReadFloat()); return; }
        var bytes = ReadBytes();
        if (bytes.Length % 4 != 0) throw Malformed("packed float array length is not a multiple of 4");
        for (int i = 0; i < bytes.Length; i += 4) into.Add(BinaryPrimitives.ReadSingleLittleEndian(bytes[i..]));
    }

    /// <summary>Appends a repeated double field, accepting packed and unpacked encodings.</summary>
    public void ReadRepeatedDouble(List<double> into)
    {
        if (Wire != WireType.LengthDelimited) { into.Add(ReadDouble()); return; }
        var bytes = ReadBytes();
        if (bytes.Length % 8 != 0) throw Malformed("packed double array length is not a multiple of 8");
        for (int i = 0; i < bytes.Length; i += 8) into.Add(BinaryPrimitives.ReadDoubleLittleEndian(bytes[i..]));
    }

    /// <summary>
    /// Skips the current field and returns its complete encoding (tag included), so that a message can keep fields it
    /// does not model and write them back unchanged.
    /// </summary>
    public ReadOnlySpan<byte> Skip()
    {
        switch (Wire)
        {
            case WireType.Varint: ReadRawVarint(); break;
            case WireType.Fixed64: Take(8); break;
            case WireType.Fixed32: Take(4); break;
            case WireType.LengthDelimited: ReadBytes(); break;
            default: throw Malformed($"unsupported wire type {(int)Wire}");
        }
        return _data[_fieldStart.._pos];
    }

    private ulong ReadRawVarint()
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_pos >= _data.Length) throw Malformed("truncated varint");
            byte b = _data[_pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw Malformed("varint longer than 10 bytes");
    }

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n > _data.Length - _pos) throw Malformed($"{n} bytes run past the end");
        var s = _data.Slice(_pos, n);
        _pos += n;
        return s;
    }

    private readonly void Expect(WireType wire)
    {
        if (Wire != wire) throw Malformed($"field {Field} has wire type {Wire}, expected {wire}");
    }

    private readonly InvalidDataException Malformed(string what) =>
        new($"Malformed protobuf at byte {_fieldStart}: {what}.");
}
