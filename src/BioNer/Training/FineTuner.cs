using System.Diagnostics;
using BioNer.Checkpoints;
using BioNer.Data;
using BioNer.Evaluation;
using BioNer.Modeling;
using BioNer.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

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

/// <summary>Live progress of a step, for progress bars.</summary>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="TotalSteps">Optimizer steps planned.</param>
/// <param name="Epoch">Fractional epoch.</param>
/// <param name="Loss">Running mean training loss since the last log point.</param>
/// <param name="LearningRate">Current learning rate.</param>
/// <param name="TokensPerSecond">Real (unpadded) sub-tokens per second since the start (or resume).</param>
/// <param name="Eta">Estimated remaining time.</param>
public sealed record StepProgress(int Step, int TotalSteps, double Epoch, double Loss, double LearningRate, double TokensPerSecond, TimeSpan Eta);

/// <summary>Callbacks through which a front end (CLI, tests) follows a run; all optional.</summary>
public sealed class TrainingObserver
{
    /// <summary>Informational messages (data sizes, labels, padding saved, checkpoint paths).</summary>
    public Action<string>? Message { get; init; }
    /// <summary>After each optimizer step.</summary>
    public Action<StepProgress>? Step { get; init; }
    /// <summary>After each dev evaluation (a results-table row).</summary>
    public Action<EvalRow>? Evaluation { get; init; }
}

/// <summary>What a finished run produced.</summary>
/// <param name="OutDir">The output folder.</param>
/// <param name="History">Loss log and the results table.</param>
/// <param name="Final">Dev evaluation of the saved model (best or last: see <see cref="Kept"/>).</param>
/// <param name="Test">Test evaluation when a test file was given.</param>
/// <param name="Stats">Throughput and padding figures.</param>
public sealed record TrainResult(string OutDir, TrainingHistory History, EvaluationOutcome Final, EvaluationOutcome? Test, ThroughputStats Stats)
{
    /// <summary>Which weights the saved model holds: the best checkpoint by dev F1 or the last weights, and from when.</summary>
    public required KeptWeights Kept { get; init; }
}

/// <summary>
/// The weights a run saved as its model. Why spelled out: "final model" read as the weights of the last step, while
/// by default it is the best checkpoint by dev F1, often epochs earlier; reports say which, with its epoch and step.
/// </summary>
/// <param name="Best">True for the best checkpoint by dev F1; false for the last weights (<c>--keep-last</c>).</param>
/// <param name="Evaluation">The dev evaluation of those weights (its epoch and step), null when the run had none.</param>
public sealed record KeptWeights(bool Best, EvalRow? Evaluation)
{
    /// <summary>The kept weights of a run with <paramref name="history"/>: its best evaluation, or its last.</summary>
    public static KeptWeights Of(TrainingHistory history, bool usedBest) =>
        new(usedBest, usedBest ? history.Best : history.Evaluations.LastOrDefault());

    /// <summary>
    /// For reports: <c>best checkpoint by dev F1, epoch 3 (step 1200)</c> or
    /// <c>last weights, epoch 4 (step 1600), kept by --keep-last</c>.
    /// </summary>
    public override string ToString()
    {
        string when = Evaluation is { } e ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $", epoch {e.Epoch:0.##} (step {e.Step})") : "";
        return Best ? $"best checkpoint by dev F1{when}"
                    : $"last weights{when}, kept by {TrainingOptions.SettingOf(nameof(TrainingOptions.LoadBestModelAtEnd)).Flag}";
    }
}

/// <summary>Throughput of the run's training steps.</summary>
/// <param name="RealTokens">Sub-tokens fed (no padding).</param>
/// <param name="PaddedTokens">Sub-token positions computed (with padding).</param>
/// <param name="PaddingSkipped">Positions that padding every batch to the maximum length would have added.</param>
/// <param name="TrainSeconds">Wall time of the training steps (evaluation excluded).</param>
public sealed record ThroughputStats(long RealTokens, long PaddedTokens, long PaddingSkipped, double TrainSeconds)
{
    /// <summary>Real sub-tokens per second.</summary>
    public double RealTokensPerSecond => TrainSeconds > 0 ? RealTokens / TrainSeconds : 0;
    /// <summary>Computed (padded) positions per second.</summary>
    public double PaddedTokensPerSecond => TrainSeconds > 0 ? PaddedTokens / TrainSeconds : 0;
}

/// <summary>
/// Fine-tunes a token classifier: the HF Trainer loop for NER, on one screen — <see cref="TrainStep"/>,
/// <see cref="OptimizerStep"/>, <see cref="EvaluateDev"/>, <see cref="SaveCheckpoint"/>. Deterministic for a seed and
/// thread count; a killed run resumes from its last checkpoint to the same final weights.
/// </summary>
public sealed partial class FineTuner
{
    /// <summary>Runs <paramref name="request"/> to completion and writes the output folder.</summary>
    public static TrainResult Run(TrainRequest request, TrainingObserver? observer = null) =>
        new FineTuner(request, observer ?? new TrainingObserver()).Execute();

    private TrainResult Execute()
    {
        while (_state.Epoch < _epochs && !Done)
        {
            var batches = EpochBatches(_state.Epoch);
            for (int b = _state.BatchInEpoch; b < batches.Count && !Done; b++)
            {
                TrainStep(batches[b]);
                _state = _state with { BatchInEpoch = b + 1 };
                bool boundary = (b + 1) % _o.GradientAccumulationSteps == 0 || b + 1 == batches.Count;
                if (!boundary) continue;
                OptimizerStep();
                bool lastOfEpoch = b + 1 == batches.Count;
                if (_o.EvalSteps > 0 && _state.GlobalStep % _o.EvalSteps == 0 && !lastOfEpoch) EvaluateDev();
                if (_o.SaveSteps > 0 && _state.GlobalStep % _o.SaveSteps == 0 && !lastOfEpoch) SaveCheckpoint();
            }
            if (_state.BatchInEpoch < batches.Count) break;          // max steps or early stop inside the epoch
            EvaluateDev();
            _state = _state with { Epoch = _state.Epoch + 1, BatchInEpoch = 0 };
            SaveCheckpoint();
        }
        if (_lastEvalStep != _state.GlobalStep) EvaluateDev();
        return Finish();
    }
}
