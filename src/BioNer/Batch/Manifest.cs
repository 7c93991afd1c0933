using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using BioNer.IO;

namespace BioNer.Batch;

/// <summary>
/// What decides a batch run's outputs: the model (by content hash), the formats, offsets, aggregation and runtime, and
/// BioNer's version. Two runs with equal settings write equal bytes, so a rerun may keep what an earlier one wrote;
/// any difference means the old outputs are not this run's.
/// </summary>
public sealed record BatchSettings
{
    /// <summary>The model as the user named it (folder, hub id, built-in name).</summary>
    public required string Model { get; init; }

    /// <summary>SHA-256 over the model folder's config, tokenizer and weight files (<see cref="Manifests.HashModel"/>).</summary>
    public required string ModelSha256 { get; init; }

    /// <summary>Output format name (<c>pubtator</c>, <c>bioc</c>, ...).</summary>
    public required string Format { get; init; }

    /// <summary>Input format forced by <c>--input-format</c>, or <c>auto</c>.</summary>
    public string InputFormat { get; init; } = "auto";

    /// <summary>Offset unit name.</summary>
    public required string Offsets { get; init; }

    /// <summary>Aggregation strategy name.</summary>
    public required string Aggregation { get; init; }

    /// <summary>Runtime (<c>torch</c>, <c>onnx</c>, <c>onnx-int8</c>).</summary>
    public required string Runtime { get; init; }

    /// <summary>Word-label decoding: <c>argmax</c> or <c>constrained</c> (IOB2 Viterbi).</summary>
    public string Decode { get; init; } = "argmax";

    /// <summary>One-line JSON with letters written as themselves (not <c>\uXXXX</c>), for JSON Lines outputs.</summary>
    public static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>BioNer's informational version.</summary>
    public string Version { get; init; } = Manifests.Version;

    /// <summary>Differences from <paramref name="other"/> as <c>field: old → new</c> lines; empty when equal.</summary>
    public IReadOnlyList<string> Differences(BatchSettings other)
    {
        var d = new List<string>();
        void Check(string name, string a, string b) { if (a != b) d.Add($"{name}: {a} → {b}"); }
        Check("model", $"{Model} ({ModelSha256[..Math.Min(12, ModelSha256.Length)]})", $"{other.Model} ({other.ModelSha256[..Math.Min(12, other.ModelSha256.Length)]})");
        if (ModelSha256 == other.ModelSha256 && d.Count > 0) d.Clear();     // the same weights under another path are the same model
        Check("format", Format, other.Format);
        Check("input format", InputFormat, other.InputFormat);
        Check("offsets", Offsets, other.Offsets);
        Check("aggregation", Aggregation, other.Aggregation);
        Check("decode", Decode, other.Decode);
        Check("runtime", Runtime, other.Runtime);
        Check("BioNer version", Version, other.Version);
        return d;
    }
}

/// <summary>The plan a batch process ran (<c>OUT/.manifest/plan-HASH.json</c>): settings, shard count and its units.</summary>
public sealed record RunRecord
{
    /// <summary>The settings every output of the folder was made with.</summary>
    public required BatchSettings Settings { get; init; }

    /// <summary>Shards the plan was made for.</summary>
    public required int Shards { get; init; }

    /// <summary>Every unit of the plan with the shard that does it.</summary>
    public required IReadOnlyList<UnitEntry> Units { get; init; }

    /// <summary>One planned unit.</summary>
    /// <param name="Input">Input file.</param>
    /// <param name="Output">Output path under the output folder.</param>
    /// <param name="Shard">Shard index that does it.</param>
    public sealed record UnitEntry(string Input, string Output, int Shard);
}

/// <summary>
/// The manifest of one finished output: enough to prove on a rerun that the output is complete and still this
/// run's (input unchanged by size and hash, output unchanged, same settings), plus the counts a summary adds up.
/// </summary>
public sealed record UnitRecord
{
    /// <summary><c>done</c> or <c>failed</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Input file path.</summary>
    public required string Input { get; init; }

    /// <summary>Part of the input (0 when whole) and number of parts.</summary>
    public int Part { get; init; }

    /// <summary>Number of parts the input was cut into (1 = whole file).</summary>
    public int Parts { get; init; } = 1;

    /// <summary>Input size in bytes.</summary>
    public long InputSize { get; init; }

    /// <summary>SHA-256 of the input file.</summary>
    public string InputSha256 { get; init; } = "";

    /// <summary>Output path relative to the output folder.</summary>
    public required string Output { get; init; }

    /// <summary>Output size in bytes (files of a BRAT folder added up).</summary>
    public long OutputSize { get; init; }

    /// <summary>SHA-256 of the output (of its files, for a BRAT folder).</summary>
    public string OutputSha256 { get; init; } = "";

    /// <summary>Documents annotated (sentences, for word-level inputs).</summary>
    public long Documents { get; init; }

    /// <summary>Passages annotated.</summary>
    public long Passages { get; init; }

    /// <summary>Words the model saw.</summary>
    public long Words { get; init; }

    /// <summary>Entities predicted.</summary>
    public long Entities { get; init; }

    /// <summary>PMIDs listed as deleted (<c>DeleteCitation</c>), reported and not annotated.</summary>
    public IReadOnlyList<string> Deleted { get; init; } = [];

    /// <summary>The error, when <see cref="Status"/> is <c>failed</c>.</summary>
    public string? Error { get; init; }

    /// <summary>Settings the output was made with.</summary>
    public required BatchSettings Settings { get; init; }

    /// <summary>Shard that wrote it (<c>K/N</c>).</summary>
    public string Shard { get; init; } = "0/1";

    /// <summary>Host name and, under Slurm, the job id.</summary>
    public string Host { get; init; } = "";

    /// <summary>When the unit started and finished (UTC, ISO 8601).</summary>
    public DateTime Started { get; init; }

    /// <summary>When the unit finished.</summary>
    public DateTime Finished { get; init; }

    /// <summary>Wall seconds spent on the unit.</summary>
    public double Seconds { get; init; }
}

/// <summary>Reading, writing and hashing for manifests; JSON in snake_case, written atomically.</summary>
public static class Manifests
{
    /// <summary>The folder, under an output folder, holding the manifests.</summary>
    public const string Folder = ".manifest";

    /// <summary>The JSON settings of manifests and summaries (snake_case names, indented, nulls left out).</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>One-line JSON with letters written as themselves (not <c>\uXXXX</c>), for JSON Lines outputs.</summary>
    public static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>BioNer's informational version (<c>1.0.0+commit</c>).</summary>
    public static string Version { get; } =
        typeof(Manifests).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Where <paramref name="plan"/> is recorded: named by a hash of its shard count and units, so the shards of one run share it.</summary>
    public static string PlanPath(string outDir, RunRecord plan)
    {
        string key = plan.Shards + "\n" + string.Join("\n", plan.Units.Select(u => $"{u.Input}\t{u.Output}\t{u.Shard}"));
        string hash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..16];
        return Path.Combine(outDir, Folder, $"plan-{hash}.json");
    }

    /// <summary>The plans recorded under <paramref name="outDir"/> (unreadable ones left out), by file name.</summary>
    public static IEnumerable<(string Path, RunRecord Plan)> Plans(string outDir)
    {
        string dir = Path.Combine(outDir, Folder);
        if (!Directory.Exists(dir)) yield break;
        foreach (var f in Directory.EnumerateFiles(dir, "plan-*.json").Order(StringComparer.Ordinal))
            if (Read<RunRecord>(f) is { } plan) yield return (f, plan);
    }

    /// <summary>Path of the manifest of output <paramref name="output"/> (relative to <paramref name="outDir"/>).</summary>
    public static string UnitPath(string outDir, string output) => Path.Combine(outDir, Folder, output + ".json");

    /// <summary>Writes <paramref name="value"/> as JSON to <paramref name="path"/> atomically.</summary>
    public static void Write<T>(string path, T value) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Json) + "\n");

    /// <summary>Reads a manifest; null when absent or unreadable (a torn or foreign file is treated as absent).</summary>
    public static T? Read<T>(string path) where T : class
    {
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json); }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException) { return null; }
    }

    /// <summary>SHA-256 (hex) of a file, or of a folder's files (names and contents, sorted).</summary>
    public static string Hash(string path) => HashFiles(Directory.Exists(path) ? path : null, Files(path));

    // Names (relative to root, when hashing a folder) and contents of the files, in the given order.
    private static string HashFiles(string? root, IEnumerable<string> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        foreach (var f in files)
        {
            if (root is not null) sha.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(root, f) + "\0"));
            using var s = File.OpenRead(f);
            int n;
            while ((n = s.Read(buffer, 0, buffer.Length)) > 0) sha.AppendData(buffer, 0, n);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Size in bytes of a file, or of a folder's files added up.</summary>
    public static long Size(string path) => Files(path).Sum(f => new FileInfo(f).Length);

    private static IEnumerable<string> Files(string path) =>
        Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal) : [path];

    /// <summary>
    /// SHA-256 over what decides a model's predictions: <c>config.json</c>, tokenizer files and weights
    /// (<c>*.safetensors</c>, <c>*.bin</c>, <c>onnx/*.onnx</c>) of <paramref name="modelDir"/>, names and contents.
    /// </summary>
    public static string HashModel(string modelDir) =>
        HashFiles(modelDir, Directory.EnumerateFiles(modelDir, "*", SearchOption.AllDirectories)
            .Where(f =>
            {
                string rel = Path.GetRelativePath(modelDir, f);
                if (rel.Split('/').Any(p => p.StartsWith('.')) || rel.StartsWith("checkpoints", StringComparison.Ordinal)) return false;
                string name = Path.GetFileName(f);
                return name is "config.json" or "tokenizer.json" or "vocab.json" or "vocab.txt" or "merges.txt" or "tokenizer_config.json"
                       or "special_tokens_map.json" || name.EndsWith(".safetensors", StringComparison.Ordinal)
                       || name.EndsWith(".bin", StringComparison.Ordinal) || name.EndsWith(".onnx", StringComparison.Ordinal);
            })
            .Order(StringComparer.Ordinal));
}
