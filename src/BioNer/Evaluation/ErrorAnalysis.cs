using BioNer.Data;

namespace BioNer.Evaluation;

/// <summary>
/// Error analysis of word-level predictions: which gold entities were found with the wrong type, the wrong boundaries,
/// both, or not at all, and which predictions match nothing; the MUC / SemEval-2013 Task 9.1 counts of the four schemes
/// (strict, exact, partial, ent_type) exactly as the Python package <c>nervaluate</c> computes them; and a type-confusion
/// matrix. Why next to seqeval's scores: seqeval says how good a model is, this says what to fix.
/// <para>
/// Entities are read with seqeval's default (conlleval-compatible) chunking (<see cref="ConllChunker"/>), the one
/// <see cref="SeqevalMetrics"/> uses by default, so the exact matches here are seqeval's true positives.
/// </para>
/// <para>
/// Pairing follows nervaluate 1.1.0 (<c>src/nervaluate/strategies.py</c>, the same rule in each of its four strategies):
/// sentence by sentence, each prediction in order is paired with the FIRST gold entity (in sentence order) that is not yet
/// paired and whose overlap covers at least <c>min_overlap_percentage</c> of the gold entity's words (default 1, i.e.
/// any overlap). A prediction overlapping several gold entities is therefore counted once, against the first free one;
/// the others stay free for later predictions and are missed if none takes them. A gold entity is missed when no
/// prediction was paired with it; a prediction is spurious when it found no free gold entity, even if it overlaps one
/// that an earlier prediction took. Per-type scheme scores re-run the pairing on one type's entities only, as
/// nervaluate's <c>entities</c> results do. nervaluate 0.x (<c>evaluate.py</c>, <c>compute_metrics</c>) differs: a
/// prediction overlapping k gold entities counted k times there; those rules are not followed.
/// </para>
/// <para>
/// Precision and recall of the partial and ent_type schemes use nervaluate's documented formula
/// <c>(COR + 0.5 * PAR) / ACT</c> for every input size. (nervaluate 1.1.0's <c>Evaluator</c> recomputes merged
/// multi-document results with <c>COR / ACT</c>; its README's partial precision of 0.40 for 2 COR + 3 PAR comes from that
/// and is not reproduced: here it is 0.70.)
/// </para>
/// </summary>
public static class ErrorAnalysis
{
    /// <summary>
    /// Analyses <paramref name="pred"/> against <paramref name="gold"/> (one label list per sentence, same lengths).
    /// <paramref name="words"/> (optional, same shape) fill the cases' texts. Throws <see cref="BioNerException"/> for
    /// mismatched lengths, a malformed label, or <paramref name="minOverlapPercentage"/> outside [1, 100] (nervaluate's range).
    /// </summary>
    public static ErrorAnalysisResult Analyze(IReadOnlyList<IReadOnlyList<string>>? words,
        IReadOnlyList<IReadOnlyList<string>> gold, IReadOnlyList<IReadOnlyList<string>> pred,
        double minOverlapPercentage = 1.0)
    {
        SeqevalMetrics.CheckLengths(gold, pred);
        CheckWords(words, gold);
        if (!(minOverlapPercentage >= 1.0 && minOverlapPercentage <= 100.0))
            throw new BioNerException($"min overlap percentage: must be between 1 and 100, got {minOverlapPercentage}.");
        var table = new LabelTable();
        var goldChunks = ConllChunker.ChunkBySentence(table.Encode(gold, "gold"), table);
        var predChunks = ConllChunker.ChunkBySentence(table.Encode(pred, "pred"), table);
        var counter = new Counter(table, goldChunks, predChunks);
        var cases = new List<ErrorCase>();
        for (int s = 0; s < gold.Count; s++)
        {
            var (g, p) = (goldChunks[s], predChunks[s]);
            PairOverall(s, g, p, minOverlapPercentage, table, words?[s], counter, cases);
            PairPerType(g, p, minOverlapPercentage, counter);
        }
        return counter.Result(gold.Count, cases, minOverlapPercentage);
    }

    /// <summary>The same analysis on two corpora with the same sentences (labels of <paramref name="pred"/> scored).</summary>
    public static ErrorAnalysisResult Analyze(Corpus gold, Corpus pred, double minOverlapPercentage = 1.0)
    {
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(pred);
        return Analyze(gold.Sentences.Select(s => s.Words).ToList(), gold.Sentences.Select(s => s.Labels).ToList(),
            pred.Sentences.Select(s => s.Labels).ToList(), minOverlapPercentage);
    }

    /// <summary>
    /// nervaluate 1.1.0's pairing: per prediction, the first free gold entity with enough overlap; -1 for none. Both
    /// lists are ascending and non-overlapping, so only the gold entities from the first that ends at or after the
    /// prediction's start can overlap it (the others overlap 0 %, below any threshold).
    /// </summary>
    internal static int[] Pair(IReadOnlyList<ChunkRef> gold, IReadOnlyList<ChunkRef> pred, double minOverlapPercentage)
    {
        var taken = new bool[gold.Count];
        var pairs = new int[pred.Count];
        int first = 0;
        for (int p = 0; p < pred.Count; p++)
        {
            var e = pred[p];
            while (first < gold.Count && gold[first].End < e.Start) first++;
            pairs[p] = -1;
            for (int g = first; g < gold.Count && gold[g].Start <= e.End; g++)
            {
                if (taken[g] || !SufficientOverlap(e, gold[g], minOverlapPercentage)) continue;
                taken[g] = true;
                pairs[p] = g;
                break;
            }
        }
        return pairs;
    }

    /// <summary>nervaluate's <c>_has_sufficient_overlap</c>: overlap / gold length × 100 ≥ the threshold (same float ops).</summary>
    private static bool SufficientOverlap(ChunkRef pred, ChunkRef gold, double minOverlapPercentage)
    {
        int start = Math.Max(pred.Start, gold.Start), end = Math.Min(pred.End, gold.End);
        if (end < start) return false;
        double percentage = (double)(end - start + 1) / (gold.End - gold.Start + 1) * 100.0;
        return percentage >= minOverlapPercentage;
    }

    private static ErrorCategory CategoryOf(ChunkRef gold, ChunkRef pred) =>
        (gold.Start == pred.Start && gold.End == pred.End, gold.Type == pred.Type) switch
        {
            (true, true) => ErrorCategory.ExactMatch,
            (true, false) => ErrorCategory.WrongType,
            (false, true) => ErrorCategory.WrongBoundary,
            _ => ErrorCategory.BothWrong,
        };

    private static void PairOverall(int s, List<ChunkRef> gold, List<ChunkRef> pred, double minOverlap,
        LabelTable table, IReadOnlyList<string>? words, Counter counter, List<ErrorCase> cases)
    {
        int[] pairs = Pair(gold, pred, minOverlap);
        var paired = new bool[gold.Count];
        var found = new List<(int Position, ErrorCase Case)>(gold.Count + pred.Count);
        for (int p = 0; p < pred.Count; p++)
        {
            ChunkRef? g = pairs[p] >= 0 ? gold[pairs[p]] : null;
            if (g is not null) paired[pairs[p]] = true;
            var category = g is { } gv ? CategoryOf(gv, pred[p]) : ErrorCategory.Spurious;
            counter.Overall(category, g, pred[p]);
            found.Add((Math.Min(g?.Start ?? int.MaxValue, pred[p].Start), Case(category, s, g, pred[p], table, words)));
        }
        for (int g = 0; g < gold.Count; g++)
        {
            if (paired[g]) continue;
            counter.Overall(ErrorCategory.Missed, gold[g], null);
            found.Add((gold[g].Start, Case(ErrorCategory.Missed, s, gold[g], null, table, words)));
        }
        cases.AddRange(found.OrderBy(f => f.Position).Select(f => f.Case));   // stable: pairs before misses at a tie
    }

    // nervaluate's entities results: each type's gold and predictions on their own, paired again.
    private static void PairPerType(List<ChunkRef> gold, List<ChunkRef> pred, double minOverlap, Counter counter)
    {
        foreach (int type in gold.Concat(pred).Select(c => c.Type).Distinct())
        {
            var g = gold.FindAll(c => c.Type == type);
            var p = pred.FindAll(c => c.Type == type);
            int[] pairs = Pair(g, p, minOverlap);
            var paired = new bool[g.Count];
            for (int i = 0; i < p.Count; i++)
            {
                if (pairs[i] >= 0) paired[pairs[i]] = true;
                counter.PerType(type, pairs[i] >= 0 ? CategoryOf(g[pairs[i]], p[i]) : ErrorCategory.Spurious);
            }
            foreach (bool taken in paired)
                if (!taken) counter.PerType(type, ErrorCategory.Missed);
        }
    }

    private static ErrorCase Case(ErrorCategory category, int sentence, ChunkRef? gold, ChunkRef? pred,
        LabelTable table, IReadOnlyList<string>? words) =>
        new(category, sentence, ToChunk(gold, table), ToChunk(pred, table), Text(gold, words), Text(pred, words));

    private static Chunk? ToChunk(ChunkRef? c, LabelTable table) =>
        c is { } v ? new Chunk(table.TypeName(v.Type), v.Start, v.End) : null;

    private static string? Text(ChunkRef? c, IReadOnlyList<string>? words) =>
        c is { } v && words is not null ? string.Join(' ', words.Skip(v.Start).Take(v.End - v.Start + 1)) : null;

    private static void CheckWords(IReadOnlyList<IReadOnlyList<string>>? words, IReadOnlyList<IReadOnlyList<string>> gold)
    {
        if (words is null) return;
        if (words.Count != gold.Count)
            throw new BioNerException($"words has {words.Count} sentences but gold has {gold.Count}.");
        for (int s = 0; s < words.Count; s++)
        {
            int w = words[s]?.Count ?? throw new BioNerException($"words sentence {s}: the word list is null.");
            if (w != gold[s].Count)
                throw new BioNerException($"sentence {s} (0-based): {w} words but gold has {gold[s].Count} labels.");
        }
    }

    /// <summary>The running counts: categories overall and per gold type, per-type re-paired categories, confusion.</summary>
    private sealed class Counter
    {
        private const int Categories = 6;
        private readonly LabelTable _table;
        private readonly int[] _types;               // type ids seen, ordinal by name
        private readonly int[] _index;               // type id → row in _types (or -1)
        private readonly long[] _overall = new long[Categories];
        private readonly long[][] _byGoldType, _perType, _confusion;

        public Counter(LabelTable table, List<ChunkRef>[] gold, List<ChunkRef>[] pred)
        {
            _table = table;
            _types = [.. gold.Concat(pred).SelectMany(l => l).Select(c => c.Type).Distinct()
                .OrderBy(table.TypeName, StringComparer.Ordinal)];
            _index = Enumerable.Repeat(-1, table.TypeCount).ToArray();
            for (int i = 0; i < _types.Length; i++) _index[_types[i]] = i;
            _byGoldType = [.. _types.Select(_ => new long[Categories])];
            _perType = [.. _types.Select(_ => new long[Categories])];
            _confusion = [.. Enumerable.Range(0, _types.Length + 1).Select(_ => new long[_types.Length + 1])];
        }

        public void Overall(ErrorCategory category, ChunkRef? gold, ChunkRef? pred)
        {
            _overall[(int)category]++;
            int none = _types.Length;
            int g = gold is { } gv ? _index[gv.Type] : none, p = pred is { } pv ? _index[pv.Type] : none;
            _byGoldType[g == none ? p : g][(int)category]++;
            _confusion[g][p]++;
        }

        public void PerType(int type, ErrorCategory category) => _perType[_index[type]][(int)category]++;

        public ErrorAnalysisResult Result(int sentences, List<ErrorCase> cases, double minOverlap)
        {
            var categories = CategoryCounts.From(_overall);
            var types = _types.Select((t, i) => new TypeErrors(_table.TypeName(t),
                SemEvalScores.FromCategories(CategoryCounts.From(_perType[i])), CategoryCounts.From(_byGoldType[i])));
            var labels = _types.Select(_table.TypeName).Append(ConfusionMatrix.None).ToList();
            var confusion = new ConfusionMatrix(labels, _confusion);
            return new ErrorAnalysisResult(sentences, SemEvalScores.FromCategories(categories), categories,
                types.ToList(), confusion, cases, minOverlap);
        }
    }
}
