using System.Text.Json.Nodes;
using BioNer.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BioNer.Modeling;

/// <summary>
/// A linear-chain CRF over word-level emissions (the token classifier's logits at each word's first sub-token), the
/// <c>--head crf</c> of <c>bioner train</c>. Why: a softmax head labels each word on its own, so it cannot learn that
/// <c>I-Protein</c> follows <c>B-Protein</c>; the CRF scores whole label sequences, start → words → end, and is
/// trained with the sequence negative log-likelihood. IOB2's forbidden moves (<c>I-X</c> after <c>O</c>, <c>B-Y</c> or
/// <c>I-Y</c>) are not learned but fixed at <see cref="Forbidden"/>, so the head never spends capacity on them and
/// decoding never emits them; a sentence's first word may not be <c>I-X</c> when decoding (a training window that
/// starts mid-sentence may, so the loss leaves that to <c>start_transitions</c>).
/// <para>
/// State-dict names follow pytorch-crf (<c>crf.start_transitions</c> (L), <c>crf.end_transitions</c> (L),
/// <c>crf.transitions</c> (L, L), row = from, column = to), zero at initialisation, so a fresh CRF decodes exactly as
/// IOB2-constrained Viterbi over the softmax does. Transformers ignores these keys (it warns) and sees a plain
/// <c>*ForTokenClassification</c> whose logits are the emissions.
/// </para>
/// </summary>
public sealed class LinearChainCrf : nn.Module
{
    /// <summary>The score of a forbidden move: finite, so log-sum-exp and its gradient stay free of NaN.</summary>
    public const double Forbidden = -10000.0;

    private readonly Parameter start_transitions;
    private readonly Parameter end_transitions;
    private readonly Parameter transitions;
    private readonly float[] _forbidden;           // (L, L) row-major: 0 where IOB2 allows from → to, Forbidden elsewhere

    /// <summary>A CRF for <paramref name="labels"/> (logit-column order), all scores zero.</summary>
    public LinearChainCrf(IReadOnlyList<string> labels) : base("crf")
    {
        ArgumentNullException.ThrowIfNull(labels);
        Labels = labels.ToArray();
        int l = labels.Count;
        start_transitions = nn.Parameter(zeros(l));
        end_transitions = nn.Parameter(zeros(l));
        transitions = nn.Parameter(zeros(l, l));
        var mask = new float[l * l];
        for (int i = 0; i < l; i++)
            for (int j = 0; j < l; j++)
                mask[i * l + j] = Iob2.Allows(labels[i], labels[j]) ? 0f : (float)Forbidden;
        _forbidden = mask;
        RegisterComponents();
    }

    /// <summary>The labels the scores index, in logit-column order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Learned score of each label for the first word, (L).</summary>
    public Parameter StartTransitions => start_transitions;

    /// <summary>Learned score of each label for the last word, (L).</summary>
    public Parameter EndTransitions => end_transitions;

    /// <summary>Learned score of each move from label i (row) to label j (column), (L, L); forbidden moves are masked on top.</summary>
    public Parameter Transitions => transitions;

    /// <summary>
    /// The CRF loss of a padded batch, as the sum over sentences of −log p(gold path | emissions), together with the
    /// number of words it covers (so the caller can report a per-word mean comparable to cross-entropy).
    /// <paramref name="logits"/> (B, T, L) are sub-token scores; <paramref name="labels"/> (B, T) int64 mark each word's
    /// scored sub-token with its gold id and every other position with −100, as the collator encodes them. Rows without
    /// a labelled position add nothing.
    /// </summary>
    public (Tensor Sum, long Words) NegativeLogLikelihood(Tensor logits, Tensor labels)
    {
        var (emissions, tags, mask) = WordLevel(logits, labels);        // (B, W, L), (B, W), (B, W)
        using var e = emissions;
        using var g = tags;
        using var k = mask;
        long words = mask.sum().item<long>();
        if (words == 0) return (logits.sum() * 0, 0);
        using var hasWords = mask.select(1, 0);                                // (B)
        using var forbidden = tensor(_forbidden, [Labels.Count, Labels.Count]);
        using var trans = transitions + forbidden;                       // (L, L)
        using var logZ = LogPartition(emissions, mask, trans);           // (B)
        using var gold = PathScore(emissions, tags, mask, trans);        // (B)
        using var nll = (logZ - gold) * hasWords.to(ScalarType.Float32);
        return (nll.sum(), words);
    }

    /// <summary>
    /// Word-level view of a sub-token batch: per row the positions whose label is not −100, in order, gathered into
    /// emissions (B, W, L), tags (B, W) int64 (0 past a row's end) and a mask (B, W) bool; W = the most words in a row.
    /// </summary>
    public static (Tensor Emissions, Tensor Tags, Tensor Mask) WordLevel(Tensor logits, Tensor labels)
    {
        long b = logits.shape[0], t = logits.shape[1], l = logits.shape[2];
        using var labelled = labels.ne(-100);                                            // (B, T)
        using var counts = labelled.sum(1);                                              // (B)
        long w = Math.Max(1, counts.max().item<long>());
        // Labelled positions sort first, each row keeping its order: key = position, + T for unlabelled ones.
        using var positions = arange(t, ScalarType.Int64).unsqueeze(0).expand(b, t);    // (B, T)
        using var key = positions + labelled.logical_not().to(ScalarType.Int64) * t;
        using var order = key.argsort(1);                                                // (B, T)
        using var index = order.narrow(1, 0, Math.Min(w, t));                            // (B, W)
        var mask = arange(index.shape[1], ScalarType.Int64).unsqueeze(0).lt(counts.unsqueeze(1)); // (B, W)
        using var gathered = labels.gather(1, index);
        var tags = gathered.masked_fill(mask.logical_not(), 0);                          // (B, W)
        using var expanded = index.unsqueeze(2).expand(b, index.shape[1], l);
        var emissions = logits.gather(1, expanded);                                      // (B, W, L)
        return (emissions, tags, mask);
    }

    // Forward algorithm: log Σ over all label paths of exp(score), per row. (B, W, L), (B, W), (L, L) → (B).
    private Tensor LogPartition(Tensor emissions, Tensor mask, Tensor trans)
    {
        long w = emissions.shape[1];
        var alpha = start_transitions + emissions.select(1, 0);                       // (B, L)
        for (long i = 1; i < w; i++)
        {
            using var emit = emissions.select(1, i).unsqueeze(1);                      // (B, 1, L)
            using var all = alpha.unsqueeze(2) + trans.unsqueeze(0) + emit;            // (B, L from, L to)
            using var next = all.logsumexp(1);                                         // (B, L)
            using var keep = mask.select(1, i).unsqueeze(1);                           // (B, 1)
            var updated = where(keep, next, alpha);
            alpha.Dispose();
            alpha = updated;
        }
        using var final = alpha + end_transitions;
        alpha.Dispose();
        return final.logsumexp(1);
    }

    // Score of the gold path per row: start + emissions + moves + end. (B, W, L), (B, W), (B, W), (L, L) → (B).
    private Tensor PathScore(Tensor emissions, Tensor tags, Tensor mask, Tensor trans)
    {
        long w = emissions.shape[1], l = emissions.shape[2];
        using var m = mask.to(ScalarType.Float32);                                       // (B, W)
        using var emitted = emissions.gather(2, tags.unsqueeze(2)).squeeze(2);            // (B, W)
        using var first = tags.select(1, 0);                                              // (B)
        var score = start_transitions.index_select(0, first) + (emitted * m).sum(1);      // (B)
        if (w > 1)
        {
            using var from = tags.narrow(1, 0, w - 1);
            using var to = tags.narrow(1, 1, w - 1);
            using var flat = from * l + to;                                               // (B, W-1)
            using var moves = trans.view(-1).index_select(0, flat.view(-1)).view(flat.shape);
            using var moveMask = m.narrow(1, 1, w - 1);
            using var added = score + (moves * moveMask).sum(1);
            score.Dispose();
            score = added.alias();
        }
        using var lastIndex = (mask.sum(1) - 1).clamp_min(0).unsqueeze(1);                // (B, 1)
        using var last = tags.gather(1, lastIndex).squeeze(1);                            // (B)
        using var withEnd = score + end_transitions.index_select(0, last);
        score.Dispose();
        return withEnd.alias();
    }

    /// <summary>The scores as plain data for decoding (<see cref="CrfTransitions"/>), forbidden moves at −∞.</summary>
    public CrfTransitions ToTransitions()
    {
        using var noGrad = no_grad();
        int l = Labels.Count;
        var start = start_transitions.data<float>().Select(v => (double)v).ToArray();
        var end = end_transitions.data<float>().Select(v => (double)v).ToArray();
        var flat = transitions.contiguous().data<float>().ToArray();
        var moves = new double[l][];
        for (int i = 0; i < l; i++) moves[i] = Enumerable.Range(0, l).Select(j => (double)flat[i * l + j]).ToArray();
        return new CrfTransitions(start, moves, end);
    }
}

/// <summary>
/// A CRF's learned scores as plain data, what decoding needs from a <c>--head crf</c> model whatever runs it
/// (TorchSharp reads them from the live module, ONNX Runtime from the export's <c>config.json</c>, key
/// <see cref="ConfigKey"/>). Viterbi adds them, with IOB2's constraints, to the words' log-probabilities.
/// </summary>
/// <param name="Start">Score of each label for the first word (L).</param>
/// <param name="Moves">Score of each move, <c>Moves[from][to]</c> (L × L), without the IOB2 mask.</param>
/// <param name="End">Score of each label for the last word (L).</param>
public sealed record CrfTransitions(double[] Start, double[][] Moves, double[] End)
{
    /// <summary>The <c>config.json</c> key of an exported model's CRF scores.</summary>
    public const string ConfigKey = "bioner_crf";

    /// <summary>Number of labels.</summary>
    public int Count => Start.Length;

    /// <summary>As the JSON object an export's config carries: <c>start_transitions</c>, <c>end_transitions</c>, <c>transitions</c>.</summary>
    public JsonObject ToJson() => new()
    {
        ["start_transitions"] = new JsonArray(Start.Select(v => (JsonNode)v).ToArray()),
        ["end_transitions"] = new JsonArray(End.Select(v => (JsonNode)v).ToArray()),
        ["transitions"] = new JsonArray(Moves.Select(r => (JsonNode)new JsonArray(r.Select(v => (JsonNode)v).ToArray())).ToArray()),
    };

    /// <summary>Reads <see cref="ToJson"/>'s object for <paramref name="labels"/> labels; a wrong shape names <paramref name="source"/>.</summary>
    public static CrfTransitions FromJson(JsonNode node, int labels, string source)
    {
        double[] Vector(JsonNode? n, string key) => n is JsonArray a && a.Count == labels
            ? a.Select(v => v?.GetValue<double>() ?? throw Bad(key)).ToArray()
            : throw Bad(key);
        BioNerException Bad(string key) => new($"{ConfigKey}.{key} must hold {labels} numbers per row for the {labels} labels", source);
        try
        {
            var start = Vector(node["start_transitions"], "start_transitions");
            var end = Vector(node["end_transitions"], "end_transitions");
            if (node["transitions"] is not JsonArray rows || rows.Count != labels) throw Bad("transitions");
            return new CrfTransitions(start, rows.Select(r => Vector(r, "transitions")).ToArray(), end);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new BioNerException($"{ConfigKey}: {e.Message}", source);
        }
    }
}
