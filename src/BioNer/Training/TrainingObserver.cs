namespace BioNer.Training;

/// <summary>Callbacks through which a front end (CLI, tests) follows a run; all optional.</summary>
public sealed class TrainingObserver
{
    /// <summary>Informational messages (data sizes, labels, padding saved, checkpoint paths).</summary>
    public Action<string>? Message { get; init; }
    /// <summary>After each optimizer step.</summary>
    public Action<StepProgress>? Step { get; init; }
    /// <summary>After each dev evaluation (a results-table row).</summary>
    public Action<EvalRow>? Evaluation { get; init; }
    /// <summary>After each evaluation of an <see cref="EvalSet"/> beside dev: the set's name and its row.</summary>
    public Action<string, EvalRow>? SetEvaluation { get; init; }
}
