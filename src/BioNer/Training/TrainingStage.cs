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
