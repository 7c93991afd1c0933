using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace BioNer.Onnx.Proto;

/// <summary>
/// An ONNX <c>TensorProto</c>: a named constant (an initializer, or an attribute value). Values live either in
/// <see cref="RawData"/> (little-endian bytes, what exporters write for weights) or in one of the typed lists;
/// <see cref="ToFloats"/> / <see cref="ToInt64s"/> read whichever is used.
/// </summary>
public sealed class OnnxTensor : IProtobufMessage
{
    /// <summary>Name the graph refers to it by (initializers), or empty (attribute values).</summary>
    public string Name { get; set; } = "";

    /// <summary>Shape, outermost first; empty for a scalar.</summary>
    public List<long> Dims { get; } = [];

    /// <summary>Element type.</summary>
    public OnnxDataType DataType { get; set; }

    /// <summary>Little-endian element bytes (empty when a typed list holds the values).</summary>
    public byte[] RawData { get; set; } = [];

    /// <summary><c>float_data</c>: FLOAT (and COMPLEX64) values when <see cref="RawData"/> is empty.</summary>
    public List<float> FloatData { get; } = [];

    /// <summary><c>int32_data</c>: INT32, INT16, INT8, UINT8, UINT16, BOOL, FLOAT16 values.</summary>
    public List<long> Int32Data { get; } = [];

    /// <summary><c>int64_data</c>: INT64 values.</summary>
    public List<long> Int64Data { get; } = [];

    /// <summary><c>double_data</c>: DOUBLE values.</summary>
    public List<double> DoubleData { get; } = [];

    /// <summary><c>string_data</c>: STRING values as UTF-8 bytes.</summary>
    public List<byte[]> StringData { get; } = [];

    /// <summary>Fields not modelled here (doc_string, external_data, ...), kept for writing back.</summary>
    public ProtobufUnknownFields Unknown { get; } = new();

    /// <summary>Number of elements: the product of <see cref="Dims"/> (1 for a scalar).</summary>
    public long ElementCount => Dims.Aggregate(1L, (a, d) => a * d);

    /// <summary>Creates a FLOAT tensor with the values stored as raw bytes, the form exporters use for weights.</summary>
    public static OnnxTensor FromFloats(string name, IReadOnlyList<long> dims, ReadOnlySpan<float> values)
    {
        var t = new OnnxTensor { Name = name, DataType = OnnxDataType.Float };
        t.Dims.AddRange(dims);
        if (t.ElementCount != values.Length)
            throw new ArgumentException($"Tensor '{name}': {values.Length} values do not fill shape [{string.Join(", ", dims)}].");
        t.RawData = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(t.RawData.AsSpan(i * 4), values[i]);
        return t;
    }

    /// <summary>Creates an INT64 tensor stored as raw bytes (shape constants, axes).</summary>
    public static OnnxTensor FromInt64s(string name, IReadOnlyList<long> dims, ReadOnlySpan<long> values)
    {
        var t = new OnnxTensor { Name = name, DataType = OnnxDataType.Int64 };
        t.Dims.AddRange(dims);
        if (t.ElementCount != values.Length)
            throw new ArgumentException($"Tensor '{name}': {values.Length} values do not fill shape [{string.Join(", ", dims)}].");
        t.RawData = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(t.RawData.AsSpan(i * 8), values[i]);
        return t;
    }

    /// <summary>The values of a FLOAT tensor, row-major, <see cref="ElementCount"/> long.</summary>
    public float[] ToFloats()
    {
        Require(OnnxDataType.Float);
        float[] values = RawData.Length > 0 ? FromRaw<float>(4) : FloatData.ToArray();
        return CheckCount(values);
    }

    /// <summary>The values of an INT64 or INT32 tensor, widened to 64 bits.</summary>
    public long[] ToInt64s()
    {
        long[] values = DataType switch
        {
            OnnxDataType.Int64 => RawData.Length > 0 ? FromRaw<long>(8) : Int64Data.ToArray(),
            OnnxDataType.Int32 => RawData.Length > 0 ? Array.ConvertAll(FromRaw<int>(4), v => (long)v) : Int32Data.ToArray(),
            _ => throw new InvalidDataException($"ONNX tensor '{Name}' is {DataType}, expected Int64 or Int32."),
        };
        return CheckCount(values);
    }

    /// <summary>Parses an encoded <c>TensorProto</c>.</summary>
    public static OnnxTensor Parse(ReadOnlySpan<byte> data)
    {
        var t = new OnnxTensor();
        var r = new ProtobufReader(data);
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: r.ReadRepeatedInt64(t.Dims); break;
                case 2: t.DataType = (OnnxDataType)r.ReadInt32(); break;
                case 4: r.ReadRepeatedFloat(t.FloatData); break;
                case 5: ReadInt32s(ref r, t.Int32Data); break;
                case 6: t.StringData.Add(r.ReadBytes().ToArray()); break;
                case 7: r.ReadRepeatedInt64(t.Int64Data); break;
                case 8: t.Name = r.ReadString(); break;
                case 9: t.RawData = r.ReadBytes().ToArray(); break;
                case 10: r.ReadRepeatedDouble(t.DoubleData); break;
                default: t.Unknown.Add(r.Skip()); break;
            }
        }
        return t;
    }

    /// <inheritdoc />
    public void WriteTo(ProtobufWriter w)
    {
        w.WritePackedInt64(1, Dims);
        w.WriteInt64(2, (long)DataType, always: true);
        w.WritePackedFloat(4, FloatData);
        w.WritePackedInt64(5, Int32Data);
        foreach (var s in StringData) w.WriteBytesAlways(6, s);
        w.WritePackedInt64(7, Int64Data);
        w.WriteString(8, Name);
        w.WriteBytes(9, RawData);
        w.WritePackedDouble(10, DoubleData);
        Unknown.WriteTo(w);
    }

    // int32_data is int32 on the wire: sign-extend what the varint decoder returned as 64 bits.
    private static void ReadInt32s(ref ProtobufReader r, List<long> into)
    {
        int start = into.Count;
        r.ReadRepeatedInt64(into);
        for (int i = start; i < into.Count; i++) into[i] = (int)into[i];
    }

    private T[] FromRaw<T>(int size) where T : unmanaged
    {
        if (RawData.Length % size != 0)
            throw new InvalidDataException($"ONNX tensor '{Name}': raw_data length {RawData.Length} is not a multiple of {size}.");
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw_data is little-endian.");
        return MemoryMarshal.Cast<byte, T>(RawData).ToArray();
    }

    private T[] CheckCount<T>(T[] values)
    {
        if (values.Length != ElementCount)
            throw new InvalidDataException(
                $"ONNX tensor '{Name}' has {values.Length} values for shape [{string.Join(", ", Dims)}] " +
                "(external data is not supported).");
        return values;
    }

    private void Require(OnnxDataType type)
    {
        if (DataType != type) throw new InvalidDataException($"ONNX tensor '{Name}' is {DataType}, expected {type}.");
    }
}
