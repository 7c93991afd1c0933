namespace BioNer.Training;

/// <summary>Throughput of the run's training steps (all of its processes when it was resumed).</summary>
/// <param name="RealTokens">Sub-tokens fed (no padding).</param>
/// <param name="PaddedTokens">Sub-token positions computed (with padding).</param>
/// <param name="PaddingSkipped">Positions that padding every batch to the maximum length would have added.</param>
/// <param name="TrainSeconds">Wall time of the training steps (evaluation excluded).</param>
public sealed record ThroughputStats(long RealTokens, long PaddedTokens, long PaddingSkipped, double TrainSeconds)
{
    /// <summary>Nothing counted yet.</summary>
    public static readonly ThroughputStats Zero = new(0, 0, 0, 0);

    /// <summary>These counts followed by <paramref name="more"/> (a resumed run: the earlier processes, then this one).</summary>
    public ThroughputStats Plus(ThroughputStats more) => new(RealTokens + more.RealTokens, PaddedTokens + more.PaddedTokens,
        PaddingSkipped + more.PaddingSkipped, TrainSeconds + more.TrainSeconds);

    /// <summary>Real sub-tokens per second.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double RealTokensPerSecond => TrainSeconds > 0 ? RealTokens / TrainSeconds : 0;
    /// <summary>Computed (padded) positions per second.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double PaddedTokensPerSecond => TrainSeconds > 0 ? PaddedTokens / TrainSeconds : 0;
}
