using BioNer.Evaluation;

namespace BioNer.Training;

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
