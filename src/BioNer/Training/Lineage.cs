using System.Text.Json;
using BioNer.IO;

namespace BioNer.Training;

/// <summary>One fine-tuning stage of a model's history (e.g. stage 1: English + augmented + translated; stage 2: Spanish).</summary>
/// <param name="BaseModel">What the stage started from (folder, hub id, built-in name).</param>
/// <param name="TrainFiles">The stage's training corpora.</param>
/// <param name="DevFile">The stage's dev corpus.</param>
/// <param name="Options">The stage's hyper-parameters.</param>
/// <param name="ResultsTable">The stage's per-epoch table (markdown).</param>
/// <param name="DevF1">Dev F1 of the model the stage kept.</param>
/// <param name="Finished">When the stage ended (UTC).</param>
public sealed record TrainingStage(string BaseModel, IReadOnlyList<string> TrainFiles, string DevFile, TrainingOptions Options,
    string ResultsTable, double DevF1, DateTimeOffset Finished);

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
