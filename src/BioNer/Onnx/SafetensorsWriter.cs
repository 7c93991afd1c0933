using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace BioNer.Onnx;

/// <summary>
/// Writes float32 tensors in the safetensors format that HuggingFace <c>transformers</c>, the Python
/// <c>safetensors</c> package and TorchSharp.PyBridge read: an 8-byte little-endian header length, a JSON header
/// (<c>{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}}</c>, padded
/// with spaces to a multiple of 8), then the raw little-endian data in header order. Why by hand: the data is already
/// in .NET arrays, so no native tensor needs to be created just to save it.
/// </summary>
internal static class SafetensorsWriter
{
    public static void Write(Stream output, IReadOnlyList<NamedTensor> tensors)
    {
        byte[] header = Header(tensors);
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
        output.Write(len);
        output.Write(header);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors data is little-endian.");
        foreach (var t in tensors) output.Write(MemoryMarshal.AsBytes(t.Data.AsSpan()));
    }

    private static byte[] Header(IReadOnlyList<NamedTensor> tensors)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteStartObject("__metadata__");
            w.WriteString("format", "pt");
            w.WriteEndObject();
            long offset = 0;
            foreach (var t in tensors)
            {
                if (t.Data.LongLength != t.ElementCount)
                    throw new ArgumentException($"Tensor '{t.Name}': {t.Data.Length} values do not fill [{string.Join(", ", t.Shape)}].");
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", "F32");
                w.WriteStartArray("shape");
                foreach (long d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset += t.Data.LongLength * 4);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        int padded = (int)((ms.Length + 7) / 8 * 8);
        var bytes = new byte[padded];
        ms.ToArray().CopyTo(bytes, 0);
        bytes.AsSpan((int)ms.Length).Fill((byte)' ');
        return bytes;
    }
}
