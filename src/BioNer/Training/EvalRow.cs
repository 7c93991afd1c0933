namespace BioNer.Training;

/// <summary>One evaluation on the dev set: a row of the model card's results table.</summary>
/// <param name="Epoch">Fractional epoch at evaluation time (1.0 at the end of the first epoch).</param>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="TrainingLoss">Mean training loss since the previous row; null when no step ran ("No log" in HF).</param>
/// <param name="ValidationLoss">Mean token cross-entropy on dev (labelled sub-tokens only).</param>
/// <param name="Precision">Entity-level micro precision (seqeval).</param>
/// <param name="Recall">Entity-level micro recall (seqeval).</param>
/// <param name="F1">Entity-level micro F1 (seqeval).</param>
/// <param name="Accuracy">Word-level token accuracy (seqeval accuracy_score).</param>
public sealed record EvalRow(double Epoch, int Step, double? TrainingLoss, double ValidationLoss,
    double Precision, double Recall, double F1, double Accuracy);

/// <summary>One evaluation of an <see cref="EvalSet"/> beside dev: a row of that set's table.</summary>
/// <param name="Set">The set's <see cref="EvalSet.Name"/>.</param>
/// <param name="Row">Its scores, at the same epoch and step as the dev row of the evaluation.</param>
public sealed record SetEvalRow(string Set, EvalRow Row);
