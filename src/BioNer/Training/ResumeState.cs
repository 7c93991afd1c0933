namespace BioNer.Training;

/// <summary>Where a run stands: enough, with the weights, optimizer moments and RNG state, to continue bit-for-bit.</summary>
/// <param name="GlobalStep">Optimizer steps done.</param>
/// <param name="Epoch">0-based epoch in progress.</param>
/// <param name="BatchInEpoch">Micro-batches of <paramref name="Epoch"/> already consumed (data order is f(seed, epoch)).</param>
/// <param name="Seed">The run's seed (a resume with another seed would not reproduce the run).</param>
/// <param name="Threads">libtorch threads (float reductions differ with the thread count).</param>
/// <param name="LossSinceLog">Sum of step losses since the last loss log point.</param>
/// <param name="StepsSinceLog">Steps since the last loss log point.</param>
/// <param name="LossSinceEval">Sum of step losses since the last evaluation.</param>
/// <param name="StepsSinceEval">Steps since the last evaluation.</param>
/// <param name="EvalsWithoutImprovement">Evaluations since dev F1 last improved (early stopping).</param>
public sealed record ResumeState(int GlobalStep, int Epoch, int BatchInEpoch, long Seed, int Threads,
    double LossSinceLog, int StepsSinceLog, double LossSinceEval, int StepsSinceEval, int EvalsWithoutImprovement)
{
    /// <summary>
    /// The training steps' time and sub-tokens up to this state over every process of the run, null in checkpoints
    /// written before it was recorded. Why: a run killed and resumed reports its whole run's training time and
    /// throughput, not only its last process's.
    /// </summary>
    public ThroughputStats? Throughput { get; init; }

    /// <summary>The state after one more optimizer step of training loss <paramref name="loss"/> (counted for the next
    /// log point and the next evaluation's training-loss column).</summary>
    public ResumeState AfterStep(double loss) => this with
    {
        GlobalStep = GlobalStep + 1,
        LossSinceLog = LossSinceLog + loss, StepsSinceLog = StepsSinceLog + 1,
        LossSinceEval = LossSinceEval + loss, StepsSinceEval = StepsSinceEval + 1,
    };
}
