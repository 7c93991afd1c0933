using BioNer.Data;
using BioNer.Modeling;

namespace BioNer.Inference;

/// <summary>
/// Viterbi decoding of word labels under IOB2's constraint (<see cref="Iob2.Allows"/>: <c>I-X</c> only after
/// <c>B-X</c> or <c>I-X</c>): the label sequence with the highest product of the words' probabilities among the valid
/// ones. Why: per-word argmax can emit an orphan <c>I-X</c> (after <c>O</c> or another type), which seqeval's default
/// mode reads as a new entity and its strict mode drops; a user should never see one. With a softmax head the
/// probabilities are the model's per-word distributions; a CRF head (<see cref="CrfTransitions"/>) adds its learned
/// start, move and end scores to their logarithms, which is exact CRF Viterbi: the log-softmax of a word's emissions
/// differs from them by one constant per word, so it picks the same path.
/// </summary>
public static class ConstrainedDecoding
{
    /// <summary>
    /// Best valid label ids for one sentence. <paramref name="probabilities"/>: per word a vector over
    /// <paramref name="labels"/> (N × L). Ties go to the lower label id at each step (as argmax does). When no valid path
    /// exists (a label set of only <c>I-</c> labels) the per-word argmax is returned. <paramref name="crf"/>: a CRF
    /// head's scores, added to the log-probabilities (null = none, plain IOB2-constrained decoding).
    /// </summary>
    public static int[] Decode(IReadOnlyList<float[]> probabilities, IReadOnlyList<string> labels, CrfTransitions? crf = null)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        int n = probabilities.Count, l = labels.Count;
        if (crf is not null && crf.Count != l) throw new ArgumentException($"CRF scores for {crf.Count} labels, model has {l}", nameof(crf));
        if (n == 0) return [];
        var emissions = new double[n][];
        for (int t = 0; t < n; t++)
        {
            emissions[t] = new double[l];
            for (int j = 0; j < l; j++) emissions[t][j] = Log(probabilities[t], j, l);
        }
        var path = Viterbi(emissions, labels, crf);
        return path ?? probabilities.Select(Aggregation.ArgMax).ToArray();
    }

    /// <summary>
    /// The highest-scoring label path among those IOB2 allows: score = Σ <paramref name="emissions"/>[t][y_t] plus,
    /// with <paramref name="crf"/>, start[y_0] + Σ moves[y_t−1][y_t] + end[y_N−1]. <paramref name="emissions"/>: N × L
    /// log-space scores. Ties go to the lower label id. Null when no valid path exists.
    /// </summary>
    public static int[]? Viterbi(IReadOnlyList<double[]> emissions, IReadOnlyList<string> labels, CrfTransitions? crf = null)
    {
        ArgumentNullException.ThrowIfNull(emissions);
        ArgumentNullException.ThrowIfNull(labels);
        int n = emissions.Count, l = labels.Count;
        if (n == 0) return [];
        var allowed = new bool[l, l];
        var start = new bool[l];
        for (int j = 0; j < l; j++)
        {
            start[j] = Iob2.Allows(null, labels[j]);
            for (int i = 0; i < l; i++) allowed[i, j] = Iob2.Allows(labels[i], labels[j]);
        }
        var score = new double[l];
        var next = new double[l];
        var back = new int[n, l];
        for (int j = 0; j < l; j++)
            score[j] = start[j] ? Emission(emissions[0], j, l) + (crf?.Start[j] ?? 0) : double.NegativeInfinity;
        for (int t = 1; t < n; t++)
        {
            for (int j = 0; j < l; j++)
            {
                double best = double.NegativeInfinity;
                int from = -1;
                for (int i = 0; i < l; i++)
                {
                    if (!allowed[i, j] || double.IsNegativeInfinity(score[i])) continue;
                    double s = score[i] + (crf?.Moves[i][j] ?? 0);
                    if (s > best) (best, from) = (s, i);
                }
                next[j] = from < 0 ? double.NegativeInfinity : best + Emission(emissions[t], j, l);
                back[t, j] = from;
            }
            (score, next) = (next, score);
        }
        if (crf is not null) for (int j = 0; j < l; j++) score[j] += crf.End[j];
        int last = 0;
        for (int j = 1; j < l; j++) if (score[j] > score[last]) last = j;
        if (double.IsNegativeInfinity(score[last])) return null;
        var path = new int[n];
        path[n - 1] = last;
        for (int t = n - 1; t > 0; t--) path[t - 1] = back[t, path[t]];
        return path;
    }

    /// <summary><c>argmax</c> → false, <c>constrained</c> → true; anything else is a <see cref="BioNerException"/>
    /// naming <paramref name="what"/> (the flag or request field) and both choices.</summary>
    public static bool ParseMode(string value, string what = "--decode") => value.Trim().ToLowerInvariant() switch
    {
        "argmax" => false,
        "constrained" => true,
        _ => throw new BioNerException($"{what}: unknown decoding '{value}' (argmax, constrained)"),
    };

    /// <summary>Whether word labels come from Viterbi: <paramref name="constrained"/> when given, else exactly when the
    /// model has a CRF head (<paramref name="crf"/>) and <paramref name="strategy"/> labels words.</summary>
    public static bool Effective(bool? constrained, CrfTransitions? crf, AggregationStrategy strategy) =>
        constrained ?? (crf is not null && strategy is not (AggregationStrategy.None or AggregationStrategy.Simple));

    /// <summary>Refuses constrained decoding with a token-level aggregation (none, simple): it labels words. (A CRF
    /// model decodes by Viterbi by default and falls back to per-token argmax there.)</summary>
    public static void RequireWordLevel(AggregationStrategy strategy, string what = "--decode constrained")
    {
        if (strategy is AggregationStrategy.None or AggregationStrategy.Simple)
            throw new BioNerException($"{what} labels words: it needs a word-level aggregation (first, max, average), not {strategy.ToString().ToLowerInvariant()}");
    }

    private static double Emission(double[] e, int j, int l)
    {
        if (e.Length != l) throw new ArgumentException($"a word has {e.Length} scores for {l} labels");
        return e[j];
    }

    private static double Log(float[] p, int j, int l)
    {
        if (p.Length != l) throw new ArgumentException($"a word has {p.Length} probabilities for {l} labels");
        return Math.Log(Math.Max(p[j], 1e-30f));
    }
}
