using BioNer.Data;
using BioNer.Modeling;

namespace BioNer.Inference;

/// <summary>
/// The model's opinion about one sub-token, placed in the document: [Start, End) in the original text, whether it
/// continues a word (HuggingFace's <c>is_subword</c>), and its probabilities over the labels.
/// </summary>
/// <param name="Start">Start offset in the document text.</param>
/// <param name="End">Exclusive end offset in the document text.</param>
/// <param name="IsSubword">True for every sub-token of a word except the first.</param>
/// <param name="Probabilities">Softmax probabilities, one per label id.</param>
public sealed record TokenScore(int Start, int End, bool IsSubword, float[] Probabilities);

/// <summary>
/// Turns sub-token scores into entities with the semantics of HuggingFace's <c>TokenClassificationPipeline</c>
/// (<c>aggregate</c>, <c>aggregate_words</c>, <c>group_entities</c>): same labels, same grouping rule, same scores.
/// Because our words come from our own splitter, <see cref="TokenScore.IsSubword"/> is exact, unlike HF's heuristic.
/// </summary>
public static class Aggregation
{
    private readonly record struct Scored(string Label, double Score, int Start, int End);

    /// <summary>
    /// Aggregates <paramref name="tokens"/> (document order) of <paramref name="text"/> with <paramref name="strategy"/>,
    /// dropping entities whose label/type is in <paramref name="ignoreLabels"/> (default: <c>O</c>). Word labels come
    /// from argmax or, with <paramref name="constrained"/>, from IOB2 Viterbi plus <paramref name="crf"/>'s scores when
    /// the model has a CRF head; null = the model's own way (Viterbi with a CRF, argmax without).
    /// </summary>
    public static IReadOnlyList<Entity> Apply(string text, IReadOnlyList<TokenScore> tokens, IReadOnlyList<string> labels,
        AggregationStrategy strategy, IReadOnlyCollection<string>? ignoreLabels = null, bool? constrained = false,
        CrfTransitions? crf = null)
    {
        ignoreLabels ??= [Schemes.Outside];
        bool tokenLevel = strategy is AggregationStrategy.None or AggregationStrategy.Simple;
        if (constrained == true) ConstrainedDecoding.RequireWordLevel(strategy, "constrained decoding");
        bool viterbi = constrained ?? crf is not null;
        var scored = tokenLevel
            ? tokens.Select(t => ArgMax(t.Probabilities, labels, t.Start, t.End)).ToList()
            : viterbi ? Constrained(Words(tokens).ToList(), labels, strategy, crf)
            : Words(tokens).Select(w => AggregateWord(w, labels, strategy)).ToList();
        IEnumerable<Entity> entities = strategy == AggregationStrategy.None
            ? scored.Select(s => new Entity(s.Label, s.Start, s.End, text[s.Start..s.End], s.Score))
            : GroupEntities(scored, text);
        return entities.Where(e => !ignoreLabels.Contains(e.Type)).ToList();
    }

    /// <summary>Splits a label into HF's (B|I, tag): <c>B-X</c>→(B,X), <c>I-X</c>→(I,X), anything else→(I, label).</summary>
    public static (char Bi, string Tag) GetTag(string label) =>
        Iob2.Parse(label) is (not 'O' and var bi, var tag) ? (bi, tag) : ('I', label);

    /// <summary>
    /// The label of one word from its sub-tokens (document order, first one not a sub-word) under a word-level
    /// <paramref name="strategy"/> (first, max, average), with the probability that chose it — HF's
    /// <c>aggregate_word</c>, also the word-label rule of every evaluation.
    /// </summary>
    public static (string Label, double Score) WordLabel(IReadOnlyList<TokenScore> word, IReadOnlyList<string> labels, AggregationStrategy strategy)
    {
        var s = AggregateWord(word, labels, strategy);
        return (s.Label, s.Score);
    }

    private static Scored ArgMax(float[] p, IReadOnlyList<string> labels, int start, int end)
    {
        int best = ArgMax(p);
        return new Scored(labels[best], p[best], start, end);
    }

    // numpy argmax: the first index of the maximum.
    internal static int ArgMax(IReadOnlyList<float> p)
    {
        int best = 0;
        for (int i = 1; i < p.Count; i++) if (p[i] > p[best]) best = i;
        return best;
    }

    private static IEnumerable<List<TokenScore>> Words(IReadOnlyList<TokenScore> tokens)
    {
        List<TokenScore>? group = null;
        foreach (var t in tokens)
        {
            if (group is null) group = [t];
            else if (t.IsSubword) group.Add(t);
            else
            {
                yield return group;
                group = [t];
            }
        }
        if (group is not null) yield return group;
    }

    // Word labels by IOB2 Viterbi; each keeps the probability its word gives the chosen label (HF's score field).
    private static List<Scored> Constrained(List<List<TokenScore>> words, IReadOnlyList<string> labels, AggregationStrategy strategy,
        CrfTransitions? crf)
    {
        var probs = words.Select(w => WordProbabilities(w, labels.Count, strategy)).ToList();
        var ids = ConstrainedDecoding.Decode(probs, labels, crf);
        return words.Select((w, i) => new Scored(labels[ids[i]], probs[i][ids[i]], w[0].Start, w[^1].End)).ToList();
    }

    private static Scored AggregateWord(IReadOnlyList<TokenScore> word, IReadOnlyList<string> labels, AggregationStrategy strategy) =>
        ArgMax(WordProbabilities(word, labels.Count, strategy), labels, word[0].Start, word[^1].End);

    /// <summary>
    /// The probability vector (one per label id) whose argmax is a word's label under a word-level
    /// <paramref name="strategy"/>: the first sub-token's, the most confident sub-token's (max), or the mean (average).
    /// Constrained decoding runs its Viterbi search over these vectors.
    /// </summary>
    public static float[] WordProbabilities(IReadOnlyList<TokenScore> word, int labelCount, AggregationStrategy strategy)
    {
        switch (strategy)
        {
            case AggregationStrategy.First:
                return word[0].Probabilities;
            case AggregationStrategy.Max:
                // Python max() keeps the first of equal keys.
                var best = word[0];
                foreach (var t in word) if (t.Probabilities.Max() > best.Probabilities.Max()) best = t;
                return best.Probabilities;
            case AggregationStrategy.Average:
                var mean = new float[labelCount];
                for (int l = 0; l < mean.Length; l++) mean[l] = (float)word.Average(t => (double)t.Probabilities[l]);
                return mean;
            default:
                throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "not a word-level strategy");
        }
    }

    // HF group_entities: a token joins the open group when its tag equals the group's last tag and it is not B-.
    private static IEnumerable<Entity> GroupEntities(List<Scored> scored, string text)
    {
        var group = new List<Scored>();
        foreach (var s in scored)
        {
            if (group.Count > 0)
            {
                var (bi, tag) = GetTag(s.Label);
                if (tag != GetTag(group[^1].Label).Tag || bi == 'B')
                {
                    yield return GroupSubEntities(group, text);
                    group.Clear();
                }
            }
            group.Add(s);
        }
        if (group.Count > 0) yield return GroupSubEntities(group, text);
    }

    // HF group_sub_entities: type from the first member, score = mean of member scores. HF takes the part after the
    // LAST '-', which turns B-GENE-N into "N"; the tag after B-/I- is taken instead, so hyphenated types survive.
    private static Entity GroupSubEntities(List<Scored> group, string text)
    {
        string type = GetTag(group[0].Label).Tag;
        int start = group[0].Start, end = group[^1].End;
        return new Entity(type, start, end, text[start..end], group.Average(g => g.Score));
    }
}
