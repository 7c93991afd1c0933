using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BioNer.Server;

/// <summary>
/// What <c>GET /v1/model</c> tells clients about the served model: its labels and entity types, the base model it was
/// fine-tuned from, and evaluation metrics when the model folder carries them (<c>metrics.json</c>, else the
/// <c>model-index</c> results of the README model card). Read once at start-up; only these files are ever read.
/// </summary>
/// <param name="Name">Display name (the folder name or hub id).</param>
/// <param name="Labels">Label names by id.</param>
/// <param name="EntityTypes">Entity types without B-/I-.</param>
/// <param name="BaseModel">The first training stage's base model from <c>lineage.json</c> (what the user passed to
/// <c>bioner train --model</c>, e.g. <c>minilm</c>), else config.json <c>_name_or_path</c>, else its <c>model_type</c>;
/// null when unknown.</param>
/// <param name="ModelType">config.json <c>model_type</c>, when present.</param>
/// <param name="Metrics">Metrics as read (a JSON object), or null.</param>
public sealed partial record ModelInfo(string Name, IReadOnlyList<string> Labels, IReadOnlyList<string> EntityTypes, string? BaseModel,
    string? ModelType, JsonObject? Metrics)
{
    /// <summary>Reads the metadata of the model folder <paramref name="modelDir"/> served with <paramref name="labels"/>.</summary>
    public static ModelInfo Read(string modelDir, IReadOnlyList<string> labels, IReadOnlyList<string> entityTypes, string? name = null)
    {
        JsonObject? config = ReadObject(Path.Combine(modelDir, "config.json"));
        string? modelType = config?["model_type"]?.GetValue<string>();
        string? baseModel = LineageBaseModel(Path.Combine(modelDir, "lineage.json"))
                             ?? (config?["_name_or_path"]?.GetValue<string>() is { Length: > 0 } p ? p : modelType);
        var metrics = ReadObject(Path.Combine(modelDir, "metrics.json")) ?? ReadmeMetrics(Path.Combine(modelDir, "README.md"));
        return new ModelInfo(name ?? Path.GetFileName(Path.GetFullPath(modelDir).TrimEnd('/')), labels, entityTypes, baseModel, modelType, metrics);
    }

    private static JsonObject? ReadObject(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonNode.Parse(File.ReadAllText(path)) as JsonObject; }
        catch (JsonException) { return null; } // metadata is informative only: a broken file is not served
    }

    /// <summary>lineage.json is a list of training stages, oldest first; the first one's <c>base_model</c> is where it all began.</summary>
    private static string? LineageBaseModel(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) is JsonArray { Count: > 0 } stages
                   && stages[0]?["base_model"] is JsonValue v && v.TryGetValue(out string? name) && name.Length > 0 ? name : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // HF model cards list results as "- type: f1\n  value: 0.87" (optionally with "name:") under model-index.
    private static JsonObject? ReadmeMetrics(string path)
    {
        if (!File.Exists(path)) return null;
        var result = new JsonObject();
        foreach (Match m in MetricPattern().Matches(File.ReadAllText(path)))
            if (double.TryParse(m.Groups[2].Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v))
                result[m.Groups[1].Value.Trim()] = v;
        return result.Count > 0 ? result : null;
    }

    [GeneratedRegex(@"-\s*type:\s*([\w .-]+?)\s*\n\s*value:\s*([-0-9.eE]+)")]
    private static partial Regex MetricPattern();
}
