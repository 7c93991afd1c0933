using BioNer.Data;
namespace BioNer.Evaluation;

/// <summary>
/// Entity-level evaluation that equals Python's seqeval: the default mode is conlleval-compatible
/// (<c>seqeval.metrics.classification_report(y_true, y_pred)</c>), strict mode reads entities with a scheme's transition
/// tables (<c>mode='strict', scheme=IOB2</c>, ...). Inputs are plain label sequences, one list per sentence, so any
/// reader or model output can be scored. Why exact parity: published biomedical NER scores are seqeval numbers, and a
/// model trained here must be comparable to them to 4 decimals.
/// </summary>
public static class SeqevalMetrics
{
    /// <summary>
    /// Scores <paramref name="pred"/> against <paramref name="gold"/>: micro P/R/F1, token accuracy and the per-type
    /// report. In strict mode a null <paramref name="scheme"/> is detected from the gold labels (seqeval's
    /// <c>auto_detect</c>); in default mode the scheme is ignored, as in seqeval. Throws <see cref="BioNerException"/>
    /// for a sentence-count or token-count mismatch (naming the sentence) or a malformed label (naming sentence and token).
    /// </summary>
    public static EvaluationResult Evaluate(IReadOnlyList<IReadOnlyList<string>> gold,
        IReadOnlyList<IReadOnlyList<string>> pred, EvaluationMode mode = EvaluationMode.Default,
        TaggingScheme? scheme = null, ZeroDivision zeroDivision = ZeroDivision.Warn)
    {
        var run = Run(gold, pred, mode, scheme);
        var report = ClassificationReportBuilder.Build(run.Table, run.Tp, run.PredCount, run.GoldCount, zeroDivision);
        var micro = report.MicroAvg;
        return new EvaluationResult(micro.Precision, micro.Recall, micro.F1, run.Counts.Accuracy, report, run.Counts,
            mode, mode == EvaluationMode.Strict ? run.Scheme : null);
    }

    /// <summary>
    /// Only the counts behind micro P/R/F1 and accuracy: the cheap call for a training loop (no report, no strings).
    /// Same modes, checks and exceptions as <see cref="Evaluate"/>.
    /// </summary>
    public static EntityCounts Count(IReadOnlyList<IReadOnlyList<string>> gold,
        IReadOnlyList<IReadOnlyList<string>> pred, EvaluationMode mode = EvaluationMode.Default,
        TaggingScheme? scheme = null) => Run(gold, pred, mode, scheme).Counts;

    /// <summary>Micro F1 (seqeval <c>f1_score</c> with <c>average='micro'</c>); 0 when undefined.</summary>
    public static double F1Score(IReadOnlyList<IReadOnlyList<string>> gold, IReadOnlyList<IReadOnlyList<string>> pred,
        EvaluationMode mode = EvaluationMode.Default, TaggingScheme? scheme = null) =>
        Count(gold, pred, mode, scheme).F1;

    /// <summary>Token accuracy (seqeval <c>accuracy_score</c>): equal label strings / all tokens; 0 for no token.</summary>
    public static double AccuracyScore(IReadOnlyList<IReadOnlyList<string>> gold,
        IReadOnlyList<IReadOnlyList<string>> pred) => Count(gold, pred).Accuracy;

    /// <summary>
    /// seqeval <c>get_entities</c> on nested sequences: positions index the sequence flattened with one <c>O</c> after
    /// each sentence.
    /// </summary>
    public static IReadOnlyList<Chunk> GetEntities(IReadOnlyList<IReadOnlyList<string>> sequences)
    {
        var table = new LabelTable();
        var chunks = new List<ChunkRef>();
        ConllChunker.Chunk(table.Encode(sequences, "labels"), table, chunks);
        return chunks.ConvertAll(c => new Chunk(table.TypeName(c.Type), c.Start, c.End));
    }

    /// <summary>seqeval <c>get_entities</c> on one flat sequence (no separators).</summary>
    public static IReadOnlyList<Chunk> GetEntities(IReadOnlyList<string> sequence)
    {
        var table = new LabelTable();
        var chunks = new List<ChunkRef>();
        ConllChunker.Chunk(table.Encode([sequence], "labels"), table, chunks, separators: false);
        return chunks.ConvertAll(c => new Chunk(table.TypeName(c.Type), c.Start, c.End));
    }

    /// <summary>
    /// The entities strict mode accepts in one sentence (seqeval <c>Tokens(sentence, scheme).entities</c>), with
    /// inclusive ends (seqeval's <c>Entity.end</c> is exclusive: it is <see cref="Chunk.End"/> + 1).
    /// </summary>
    public static IReadOnlyList<Chunk> GetStrictEntities(IReadOnlyList<string> sentence, TaggingScheme scheme)
    {
        var table = new LabelTable();
        var chunks = new List<ChunkRef>();
        StrictChunker.Chunk(table.Encode([sentence], "labels"), table, scheme, chunks, "labels");
        return chunks.ConvertAll(c => new Chunk(table.TypeName(c.Type), c.Start, c.End));
    }

    /// <summary>seqeval <c>auto_detect</c>: IOB2, IOE2, IOBES or BILOU from the prefixes used in <paramref name="gold"/>.</summary>
    public static TaggingScheme DetectScheme(IReadOnlyList<IReadOnlyList<string>> gold)
    {
        var table = new LabelTable();
        return Schemes.DetectAsSeqeval(table.Encode(gold, "gold"), table);
    }

    private sealed record RunResult(LabelTable Table, long[] Tp, long[] PredCount, long[] GoldCount,
        EntityCounts Counts, TaggingScheme? Scheme);

    private static RunResult Run(IReadOnlyList<IReadOnlyList<string>> gold, IReadOnlyList<IReadOnlyList<string>> pred,
        EvaluationMode mode, TaggingScheme? scheme)
    {
        CheckLengths(gold, pred);
        var table = new LabelTable();
        var goldLabels = table.Encode(gold, "gold");
        var predLabels = table.Encode(pred, "pred");
        var goldChunks = new List<ChunkRef>();
        var predChunks = new List<ChunkRef>();
        if (mode == EvaluationMode.Strict)
        {
            scheme ??= Schemes.DetectAsSeqeval(goldLabels, table);
            StrictChunker.Chunk(goldLabels, table, scheme.Value, goldChunks, "gold");
            StrictChunker.Chunk(predLabels, table, scheme.Value, predChunks, "pred");
        }
        else
        {
            ConllChunker.Chunk(goldLabels, table, goldChunks);
            ConllChunker.Chunk(predLabels, table, predChunks);
        }
        int types = table.TypeCount;
        long[] tp = new long[types], predCount = new long[types], goldCount = new long[types];
        foreach (var c in goldChunks) goldCount[c.Type]++;
        foreach (var c in predChunks) predCount[c.Type]++;
        long tpTotal = MatchChunks(goldChunks, predChunks, tp);
        long correct = 0;
        for (int i = 0; i < goldLabels.Ids.Length; i++) correct += goldLabels.Ids[i] == predLabels.Ids[i] ? 1 : 0;
        var counts = new EntityCounts(tpTotal, predChunks.Count, goldChunks.Count, correct, goldLabels.Ids.Length);
        return new RunResult(table, tp, predCount, goldCount, counts, scheme);
    }

    /// <summary>Counts chunks equal in type, start and end; both lists are strictly ascending by end position.</summary>
    private static long MatchChunks(List<ChunkRef> gold, List<ChunkRef> pred, long[] tp)
    {
        long total = 0;
        int g = 0, p = 0;
        while (g < gold.Count && p < pred.Count)
        {
            var (a, b) = (gold[g], pred[p]);
            if (a.End < b.End) { g++; continue; }
            if (a.End > b.End) { p++; continue; }
            if (a.Start == b.Start && a.Type == b.Type) { tp[a.Type]++; total++; }
            g++;
            p++;
        }
        return total;
    }

    /// <summary>Same sentence count and, per sentence, the same token count; otherwise a <see cref="BioNerException"/> naming it.</summary>
    internal static void CheckLengths(IReadOnlyList<IReadOnlyList<string>> gold, IReadOnlyList<IReadOnlyList<string>> pred)
    {
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(pred);
        if (gold.Count != pred.Count)
            throw new BioNerException($"gold has {gold.Count} sentences but pred has {pred.Count}.");
        for (int s = 0; s < gold.Count; s++)
        {
            int g = gold[s]?.Count ?? throw new BioNerException($"gold sentence {s}: the label list is null.");
            int p = pred[s]?.Count ?? throw new BioNerException($"pred sentence {s}: the label list is null.");
            if (g != p)
                throw new BioNerException($"sentence {s} (0-based): gold has {g} tokens but pred has {p}.");
        }
    }
}
