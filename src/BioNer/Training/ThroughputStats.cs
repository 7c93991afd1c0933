namespace BioNer.Training;

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
