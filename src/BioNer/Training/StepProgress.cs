namespace BioNer.Training;

/// <summary>Live progress of a step, for progress bars.</summary>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="TotalSteps">Optimizer steps planned.</param>
/// <param name="Epoch">Fractional epoch.</param>
/// <param name="Loss">Running mean training loss since the last log point.</param>
/// <param name="LearningRate">Current learning rate.</param>
/// <param name="TokensPerSecond">Real (unpadded) sub-tokens per second since the start (or resume).</param>
/// <param name="Eta">Estimated remaining time.</param>
public sealed record StepProgress(int Step, int TotalSteps, double Epoch, double Loss, double LearningRate, double TokensPerSecond, TimeSpan Eta);
