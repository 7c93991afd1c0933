namespace BioNer.Training;

/// <summary>What to train: a model (folder, hub id, built-in name or a fine-tuned BioNer model), data and options.</summary>
/// <param name="Model">Model folder, hub id, <c>minilm</c>, or a fine-tuned model (two-step transfer).</param>
/// <param name="TrainFiles">Training corpora (concatenated in order).</param>
/// <param name="DevFile">Dev corpus evaluated after each epoch.</param>
/// <param name="OutDir">Output folder (model, card, curves, checkpoints).</param>
/// <param name="Options">Hyper-parameters (defaults: the reference recipe).</param>
public sealed record TrainRequest(string Model, IReadOnlyList<string> TrainFiles, string DevFile, string OutDir, TrainingOptions Options)
{
    /// <summary>Continue from the newest checkpoint under this folder (a killed run's output folder).</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Optional test corpus scored once at the end with the saved model (best or last weights).</summary>
    public string? TestFile { get; init; }

    /// <summary>Corpora scored beside dev at every evaluation (rows in the tables, not model selection); none when null.</summary>
    public IReadOnlyList<EvalSet>? EvalSets { get; init; }

    /// <summary>Optional entity-type renaming applied to every corpus (e.g. <c>CHEBI=Chemical,GGP=Protein</c>).</summary>
    public string? LabelMap { get; init; }

    /// <summary>The <see cref="TrainingRecipes"/> name the options started from (before flags and config keys), for the
    /// model card; null when not recorded.</summary>
    public string? Recipe { get; init; }

    /// <summary>The settings file a run writes into its output folder: what resuming and later evaluations read.</summary>
    public const string FileName = "run.json";

    /// <summary>
    /// The request saved in training folder <paramref name="outDir"/>, or null when it holds none (e.g. a hub model).
    /// Why public: <c>--resume</c> continues with it, and <c>evaluate --model</c> scores the model as its run did.
    /// </summary>
    /// <exception cref="BioNerException">The file is not valid JSON of a request (names the file and line).</exception>
    public static TrainRequest? Load(string outDir)
    {
        string path = Path.Combine(outDir, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<TrainRequest>(File.ReadAllText(path), TrainingOptions.Json)
                   ?? throw new BioNerException("empty run settings", path);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new BioNerException($"invalid run settings: {e.Message}", path, (int?)(e.LineNumber + 1));
        }
    }
}
