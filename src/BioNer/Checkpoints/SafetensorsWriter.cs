using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace BioNer.Checkpoints;

/// <summary>
/// Writes float32 tensors in the safetensors format exactly as Python's <c>safetensors.torch.save_file</c> lays it out
/// for <c>save_pretrained</c>: 8-byte little-endian header length, a JSON header with
/// <c>__metadata__: {"format": "pt"}</c> padded with spaces to a multiple of 8 bytes (so every tensor's data is
/// aligned and Python can view it as float32 without copying), then the raw little-endian data.
/// Why not PyBridge's writer: it omits the metadata and the padding, which some <c>transformers</c>/<c>safetensors</c>
/// versions reject.
/// </summary>
internal static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> (contiguous float32 on the CPU) to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<KeyValuePair<string, Tensor>> tensors)
    {
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            if (tensor.dtype != ScalarType.Float32 || !tensor.is_contiguous() || tensor.device_type != TorchSharp.DeviceType.CPU)
                throw new ArgumentException($"tensor '{name}' must be contiguous float32 on the CPU", nameof(tensors));
            long length = tensor.NumberOfElements * 4;
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(tensor.shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + length),
            };
            offset += length;
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)padded);
        stream.Write(prefix);
        stream.Write(json);
        for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var (_, tensor) in tensors) stream.Write(tensor.bytes);
        stream.Flush(flushToDisk: true);
    }
}
