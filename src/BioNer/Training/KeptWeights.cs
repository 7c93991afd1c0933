namespace BioNer.Training;

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
