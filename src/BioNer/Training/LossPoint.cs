namespace BioNer.Training;

/// <summary>A training-loss log point (every <see cref="TrainingOptions.LoggingSteps"/> steps).</summary>
/// <param name="Epoch">Fractional epoch.</param>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="Loss">Mean loss over the steps since the previous point.</param>
/// <param name="LearningRate">Learning rate of the last step.</param>
public sealed record LossPoint(double Epoch, int Step, double Loss, double LearningRate);
