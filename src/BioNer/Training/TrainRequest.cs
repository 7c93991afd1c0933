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

    /// <summary>Optional entity-type renaming applied to every corpus (e.g. <c>CHEBI=Chemical,GGP=Protein</c>).</summary>
    public string? LabelMap { get; init; }
}
