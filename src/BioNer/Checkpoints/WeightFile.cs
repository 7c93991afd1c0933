using System.Buffers.Binary;
using System.Collections;
using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace BioNer.Checkpoints;

/// <summary>
/// Reads a weight file (<c>model.safetensors</c> or a PyTorch <c>pytorch_model.bin</c>) into name → tensor.
/// Why a separate reader: a truncated download or a wrong file must end in a <see cref="BioNerException"/> naming the
/// file, never in a crash or a huge allocation, so the safetensors header is checked against the file size before
/// any tensor is read, and every reader failure is wrapped. Tensors are created in the caller's dispose scope.
/// </summary>
internal static class WeightFile
{
    private static readonly Dictionary<string, int> SafetensorsDtypeSizes = new()
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1,
        ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <summary>All tensors of <paramref name="path"/>, by their stored names (dtype as stored).</summary>
    /// <exception cref="BioNerException">The file is truncated, corrupt, or not a weight file.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        bool safetensors = path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);
        try
        {
            if (!safetensors) return ReadPickle(path);
            CheckSafetensorsLayout(path);
            return Safetensors.LoadStateDict(path);
        }
        catch (Exception e) when (e is not BioNerException and not OutOfMemoryException)
        {
            string kind = safetensors ? "safetensors" : "PyTorch (torch.save zip)";
            throw new BioNerException(
                $"cannot read weights, the file is truncated, corrupt or not a {kind} file ({e.GetType().Name}: {e.Message})",
                path, inner: e);
        }
    }

    private static Dictionary<string, Tensor> ReadPickle(string path)
    {
        Hashtable table = PyTorchUnpickler.UnpickleStateDict(path);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string name || entry.Value is not Tensor tensor)
                throw new BioNerException(
                    $"expected a state dict of name → tensor, found entry '{entry.Key}' of type {entry.Value?.GetType().Name}", path);
            result[name] = tensor;
        }
        return result;
    }

    /// <summary>
    /// Validates the safetensors layout: 8-byte little-endian header length, a JSON header whose every tensor has a
    /// known dtype and a byte range that lies inside the file and matches dtype × shape.
    /// </summary>
    private static void CheckSafetensorsLayout(string path)
    {
        using var stream = File.OpenRead(path);
        long length = stream.Length;
        Span<byte> prefix = stackalloc byte[8];
        if (length < 8 || stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
            throw new BioNerException("not a safetensors file: shorter than its 8-byte header length", path);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength == 0 || headerLength > (ulong)(length - 8) || headerLength > 100_000_000)
            throw new BioNerException(
                $"not a safetensors file or truncated: header length {headerLength} does not fit the file's {length} bytes", path);
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataLength = length - 8 - (long)headerLength;
        using var doc = JsonDocument.Parse(header);
        foreach (var tensor in doc.RootElement.EnumerateObject())
        {
            if (tensor.Name == "__metadata__") continue;
            CheckTensorEntry(path, tensor, dataLength);
        }
    }

    private static void CheckTensorEntry(string path, JsonProperty tensor, long dataLength)
    {
        string dtype = tensor.Value.GetProperty("dtype").GetString() ?? "";
        if (!SafetensorsDtypeSizes.TryGetValue(dtype, out int size))
            throw new BioNerException($"tensor '{tensor.Name}' has unsupported dtype '{dtype}'", path);
        long count = 1;
        foreach (var dim in tensor.Value.GetProperty("shape").EnumerateArray()) count *= dim.GetInt64();
        var offsets = tensor.Value.GetProperty("data_offsets");
        long begin = offsets[0].GetInt64(), end = offsets[1].GetInt64();
        if (begin < 0 || end < begin || end > dataLength)
            throw new BioNerException(
                $"tensor '{tensor.Name}' lies at bytes {begin}..{end} but the data section has only {dataLength} bytes " +
                "(truncated file?)", path);
        if (end - begin != count * size)
            throw new BioNerException(
                $"tensor '{tensor.Name}' has {end - begin} bytes but its shape and dtype {dtype} need {count * size}", path);
    }
}
