using System.Text.Json;
using BioNer.IO;

namespace BioNer.Training;

/// <summary>
/// A model's training lineage, kept in <c>lineage.json</c> next to the weights. Why: the reference model is the product of
/// two fine-tuning stages (two-step transfer); continuing from a BioNer model carries its stages forward so the final
/// model card records the whole workflow, not only the last stage.
/// </summary>
public static class Lineage
{
    /// <summary>File name inside a model folder.</summary>
    public const string FileName = "lineage.json";

    /// <summary>The stages recorded in <paramref name="modelDir"/>, or none for a model BioNer did not train.</summary>
    public static IReadOnlyList<TrainingStage> Read(string modelDir)
    {
        string path = Path.Combine(modelDir, FileName);
        if (!File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize<List<TrainingStage>>(File.ReadAllText(path), TrainingOptions.Json) ?? [];
        }
        catch (JsonException e)
        {
            throw new BioNerException($"corrupt training lineage: {e.Message}", path);
        }
    }

    /// <summary>Writes the stages atomically into <paramref name="modelDir"/>.</summary>
    public static void Write(string modelDir, IReadOnlyList<TrainingStage> stages) =>
        AtomicFile.WriteAllText(Path.Combine(modelDir, FileName), JsonSerializer.Serialize(stages, TrainingOptions.Json));
}
