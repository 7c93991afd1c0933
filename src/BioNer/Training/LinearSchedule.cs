namespace BioNer.Training;

/// <summary>
/// HuggingFace's <c>get_linear_schedule_with_warmup</c>: the learning-rate multiplier rises linearly from 0 to 1 over
/// the warm-up steps, then falls linearly to 0 at the last step. Stateless (a function of the step), so resuming needs
/// only the step count.
/// </summary>
/// <param name="PeakLearningRate">The learning rate reached at the end of warm-up.</param>
/// <param name="WarmupSteps">Optimizer steps of linear warm-up.</param>
/// <param name="TotalSteps">Total optimizer steps of the run.</param>
public sealed record LinearSchedule(double PeakLearningRate, int WarmupSteps, int TotalSteps)
{
    /// <summary>The learning rate to use for optimizer step <paramref name="step"/> (0-based, as HF's LambdaLR).</summary>
    public double LearningRateAt(int step)
    {
        if (step < WarmupSteps) return PeakLearningRate * step / Math.Max(1, WarmupSteps);
        double remaining = (double)(TotalSteps - step) / Math.Max(1, TotalSteps - WarmupSteps);
        return PeakLearningRate * Math.Max(0.0, remaining);
    }

    /// <summary>Warm-up length from the options: explicit steps win over the ratio (rounded up, as HF does).</summary>
    public static int WarmupFor(TrainingOptions o, int totalSteps) =>
        o.WarmupSteps > 0 ? o.WarmupSteps : (int)Math.Ceiling(o.WarmupRatio * totalSteps);
}
