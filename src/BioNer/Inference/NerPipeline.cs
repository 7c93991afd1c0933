using BioNer.Modeling;
using BioNer.Data;
namespace BioNer.Inference;

/// <summary>Knobs of <see cref="NerPipeline"/>; the defaults suit a 512-position RoBERTa/BERT on CPU.</summary>
public sealed record NerOptions
{
    /// <summary>Windows per forward pass. Larger is faster until memory runs out.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Sub-tokens per window; null = the scorer's maximum. Smaller windows test long-document handling.</summary>
    public int? MaxSubTokens { get; init; }

    /// <summary>Sub-tokens repeated between consecutive windows of an over-long sentence (HF <c>stride</c>).</summary>
    public int Stride { get; init; } = 128;

    /// <summary>Splits text into words as (start, end) offsets; null = the corpora's word splitting.</summary>
    public Func<string, IReadOnlyList<(int Start, int End)>>? WordSplitter { get; init; }

    /// <summary>Splits text into sentences as (start, end) offsets; null = the corpora's sentence splitting.</summary>
    public Func<string, IReadOnlyList<(int Start, int End)>>? SentenceSplitter { get; init; }

    /// <summary>Decode word labels of <see cref="NerPipeline.Predict(string, AggregationStrategy)"/> and
    /// <see cref="NerPipeline.LabelWords"/> by IOB2-constrained Viterbi (<see cref="ConstrainedDecoding"/>) instead of
    /// argmax, so no orphan <c>I-X</c> reaches the user; needs a word-level aggregation (first, max, average). With a
    /// CRF head the Viterbi adds the CRF's scores. Null = the model's own way: Viterbi for a CRF head, argmax otherwise.</summary>
    public bool? Constrained { get; init; }
}

/// <summary>How <see cref="NerPipeline.Decode"/> turns sub-token scores into word labels, and what it scores them against.</summary>
public sealed record WordDecoding
{
    /// <summary>Which sub-tokens decide a word's label: <c>First</c> (what <c>run_ner.py</c> trains), <c>Max</c> or <c>Average</c>.</summary>
    public AggregationStrategy Strategy { get; init; } = AggregationStrategy.First;

    /// <summary>Per sentence, per word, the gold label id in the model's label order (−1 = a label the model lacks,
    /// left out of the loss); null = no loss.</summary>
    public IReadOnlyList<IReadOnlyList<int>>? Gold { get; init; }

    /// <summary>Count every sub-token of a word in the loss (B-X as I-X after the first), as training with
    /// <c>--label-all-tokens</c> encodes its dev set.</summary>
    public bool LabelAllTokens { get; init; }

    /// <summary>Viterbi over the words' probabilities with IOB2 constraints (<see cref="ConstrainedDecoding"/>) instead
    /// of per-word argmax, so no orphan <c>I-X</c> is emitted (<c>--decode constrained</c>), plus a CRF head's scores.
    /// Null = the model's own way (Viterbi for a CRF head, argmax otherwise).</summary>
    public bool? Constrained { get; init; }
}

/// <summary>What <see cref="NerPipeline.Decode"/> returns.</summary>
/// <param name="Labels">Per sentence one label per word, from the model's labels.</param>
/// <param name="Loss">Mean cross-entropy against the gold ids (HF Trainer's batch-weighted mean); null without gold or
/// when the runtime computes no loss (ONNX).</param>
public sealed record DecodedWords(IReadOnlyList<string[]> Labels, double? Loss);

/// <summary>
/// A document after the forward pass and before aggregation: its words and one <see cref="TokenScore"/> per sub-token
/// (each word scored exactly once, whatever the document length). Kept separate from entities so one forward pass can
/// serve several aggregation strategies (the server batches requests that ask for different ones).
/// </summary>
/// <param name="Text">The original text.</param>
/// <param name="Words">Word spans in <paramref name="Text"/>.</param>
/// <param name="Tokens">Sub-token scores in document order.</param>
/// <param name="Labels">Label names by id, the order of every probability vector.</param>
public sealed record ScoredDocument(string Text, IReadOnlyList<(int Start, int End)> Words, IReadOnlyList<TokenScore> Tokens,
    IReadOnlyList<string> Labels)
{
    /// <summary>The scoring model's CRF scores when it has a CRF head (<see cref="ITokenScorer.Crf"/>), else null.</summary>
    public CrfTransitions? Crf { get; init; }

    /// <summary>Entities of this document under <paramref name="strategy"/>, word labels by argmax or, with
    /// <paramref name="constrained"/>, by IOB2-constrained Viterbi (plus <see cref="Crf"/>); null = Viterbi exactly
    /// when the model has a CRF head.</summary>
    public IReadOnlyList<Entity> Entities(AggregationStrategy strategy = AggregationStrategy.First, bool? constrained = null) =>
        Aggregation.Apply(Text, Tokens, Labels, strategy, constrained: constrained, crf: Crf);
}

/// <summary>
/// Raw text → entities, the .NET counterpart of HF <c>pipeline("token-classification")</c>: words with character
/// offsets (the corpora's splitting) → sentence-packed windows, overlapping only inside over-long sentences → batched
/// forward passes → per-word merge of overlaps → aggregation. Offsets always index the caller's string.
/// Thread safety: any number of threads may call <see cref="Score"/>/<see cref="Predict(string, AggregationStrategy)"/>
/// at once; splitting, planning and aggregation run concurrently, while tokenization and forward passes are serialised
/// by one lock around the scorer (a TorchSharp module and its dispose scopes are not meant to be shared by threads;
/// throughput under load comes from batching, see the server's queue).
/// </summary>
public sealed class NerPipeline : IDisposable
{
    private readonly ITokenScorer _scorer;
    private readonly NerOptions _options;
    private readonly object _modelLock = new();
    private readonly int _budget;

    /// <summary>Creates a pipeline over <paramref name="scorer"/>; the pipeline owns it when it is <see cref="IDisposable"/>.</summary>
    public NerPipeline(ITokenScorer scorer, NerOptions? options = null)
    {
        _scorer = scorer;
        _options = options ?? new NerOptions();
        if (_options.BatchSize < 1) throw new BioNerException($"batch size must be at least 1 (got {_options.BatchSize})");
        _budget = Math.Min(_options.MaxSubTokens ?? scorer.MaxSubTokens, scorer.MaxSubTokens);
        if (_budget < 1) throw new BioNerException($"window size must be at least 1 sub-token (got {_budget})");
    }

    /// <summary>
    /// Loads a HuggingFace-layout model folder (config.json, weights, tokenizer files) into a TorchSharp-backed pipeline.
    /// </summary>
    /// <exception cref="BioNerException">The folder, its config, weights or tokenizer are missing or invalid.</exception>
    public static NerPipeline Load(string modelDir, NerOptions? options = null, Action<string>? log = null) =>
        new(TorchTokenScorer.Load(modelDir, log), options);

    /// <summary>Label names by id (<c>id2label</c> of the model).</summary>
    public IReadOnlyList<string> Labels => _scorer.Labels;

    /// <summary>The model's CRF scores when it has a CRF head (decoded by Viterbi unless argmax is asked for), else null.</summary>
    public CrfTransitions? Crf
    {
        get { lock (_modelLock) return _scorer.Crf; }
    }

    /// <summary>Entity types the model can predict (labels without B-/I-, O excluded), sorted ordinally.</summary>
    public IReadOnlyList<string> EntityTypes =>
        Labels.Where(l => l != Schemes.Outside).Select(l => Aggregation.GetTag(l).Tag).Distinct().OrderBy(t => t, StringComparer.Ordinal).ToList();

    /// <summary>Sub-tokens per window actually used (scorer maximum, possibly lowered by options).</summary>
    public int WindowSubTokens => _budget;

    /// <summary>Number of windows sent to the model since creation (for tests and metrics).</summary>
    public long WindowsScored => Interlocked.Read(ref _windowsScored);
    private long _windowsScored;

    /// <summary>Entities in <paramref name="text"/>.</summary>
    public IReadOnlyList<Entity> Predict(string text, AggregationStrategy strategy = AggregationStrategy.First) =>
        Score([text])[0].Entities(strategy, _options.Constrained);

    /// <summary>Entities of each text, batching windows of all texts together.</summary>
    public IReadOnlyList<IReadOnlyList<Entity>> Predict(IReadOnlyList<string> texts, AggregationStrategy strategy = AggregationStrategy.First) =>
        Score(texts).Select(d => d.Entities(strategy, _options.Constrained)).ToList();

    /// <summary>Runs the model over every text (any length) and returns per-sub-token scores, one result per text.</summary>
    public IReadOnlyList<ScoredDocument> Score(IReadOnlyList<string> texts) => ScorePrepared(texts.Select(Prepare).ToList());

    /// <summary>
    /// Labels pre-tokenized sentences word by word, keeping the given words (no re-splitting of joined text): each word
    /// is tokenized on its own, a sentence longer than a window is covered by strided windows (no word dropped), and a
    /// word's label is the argmax of its first sub-token, the position <c>run_ner.py</c> trains and predicts on.
    /// Output: per sentence one label per word, from <see cref="Labels"/>.
    /// </summary>
    public IReadOnlyList<string[]> LabelWords(IReadOnlyList<IReadOnlyList<string>> sentences) =>
        Decode(sentences, new WordDecoding { Constrained = _options.Constrained }).Labels;

    /// <summary>
    /// The word-label decoder every scorer of a labelled corpus uses (training's dev and test evaluation,
    /// <c>bioner evaluate --model</c>, word-level <c>predict</c>): words → sub-tokens → one window per sentence
    /// (strided windows for a sentence longer than <see cref="WindowSubTokens"/>, each word kept from the window where it
    /// has most context) → batched forward passes → one label per word by <see cref="WordDecoding.Strategy"/>. With
    /// <see cref="WordDecoding.Gold"/> the same forward passes also give the loss, averaged per batch and weighted by
    /// windows per batch as HF Trainer's evaluation loop does.
    /// </summary>
    /// <param name="sentences">Per sentence its words.</param>
    /// <param name="decoding">Strategy and, for a loss, gold label ids; null = first sub-token, no loss.</param>
    public DecodedWords Decode(IReadOnlyList<IReadOnlyList<string>> sentences, WordDecoding? decoding = null)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        decoding ??= new WordDecoding();
        if (decoding.Strategy is AggregationStrategy.None or AggregationStrategy.Simple)
            throw new BioNerException($"word labels need a word-level strategy (first, max, average), not {decoding.Strategy.ToString().ToLowerInvariant()}");
        if (decoding.Gold is { } gold && gold.Count != sentences.Count)
            throw new ArgumentException($"{gold.Count} gold label rows for {sentences.Count} sentences", nameof(decoding));
        var prepared = sentences.Select(PrepareWords).ToList();
        var inside = decoding.LabelAllTokens ? Iob2.InsideIds(Labels) : null;
        var (scored, loss) = ScorePrepared(prepared, decoding.Gold is null ? null : d => WindowLabels(prepared[d], decoding, inside, d));
        var crf = scored.Count > 0 ? scored[0].Crf : null;
        var labels = scored.Select(d => decoding.Constrained ?? crf is not null
            ? ConstrainedDecoding.Decode(Words(d.Tokens).Select(w => Aggregation.WordProbabilities(w, Labels.Count, decoding.Strategy)).ToList(), Labels, crf)
                .Select(id => Labels[id]).ToArray()
            : Words(d.Tokens).Select(w => Aggregation.WordLabel(w, Labels, decoding.Strategy).Label).ToArray()).ToList();
        return new DecodedWords(labels, loss);
    }

    // Per window of a sentence, the label id of each position: the word's gold id at its first sub-token; at the others
    // −100, or with label-all-tokens the gold id with B-X turned into I-X (how the trainer encodes dev sets).
    private static List<int[]> WindowLabels(Prepared doc, WordDecoding decoding, int[]? inside, int sentence)
    {
        var gold = decoding.Gold![sentence];
        if (gold.Count != doc.Words.Count)
            throw new ArgumentException($"sentence {sentence} has {doc.Words.Count} words but {gold.Count} gold labels", nameof(decoding));
        return doc.Windows.Select(w =>
        {
            var row = new List<int>();
            for (int word = w.FirstWord; word < w.EndWord; word++)
                for (int p = 0; p < doc.Pieces[word].Length; p++)
                {
                    int id = gold[word] < 0 ? Tokenization.WordEncoder.IgnoreIndex : gold[word];
                    row.Add(p == 0 || id < 0 ? id : inside is not null ? inside[id] : Tokenization.WordEncoder.IgnoreIndex);
                }
            return row.ToArray();
        }).ToList();
    }

    private static IEnumerable<List<TokenScore>> Words(IReadOnlyList<TokenScore> tokens)
    {
        List<TokenScore>? word = null;
        foreach (var t in tokens)
        {
            if (word is not null && !t.IsSubword) { yield return word; word = null; }
            (word ??= []).Add(t);
        }
        if (word is not null) yield return word;
    }

    private IReadOnlyList<ScoredDocument> ScorePrepared(List<Prepared> docs) => ScorePrepared(docs, null).Documents;

    // Batches the windows of all documents, longest first (windows of similar length share a batch, so little padding
    // is computed); `labels` (per document, per window, per position) asks the scorer for a loss as well.
    private (IReadOnlyList<ScoredDocument> Documents, double? Loss) ScorePrepared(List<Prepared> docs, Func<int, List<int[]>>? labels)
    {
        var windowLabels = labels is null ? null : docs.Select((_, i) => labels(i)).ToArray();
        var jobs = docs.SelectMany((d, di) => d.Windows.Select((w, wi) => (Doc: di, Win: wi, Ids: d.Ids(w)))).ToList();
        var probs = docs.Select(d => new float[d.Windows.Count][][]).ToArray();
        var order = jobs.OrderByDescending(j => j.Ids.Length).ToList();
        double lossSum = 0;
        long lossWeight = 0;
        bool anyLoss = false;
        for (int b = 0; b < order.Count; b += _options.BatchSize)
        {
            var batch = order.Skip(b).Take(_options.BatchSize).ToList();
            float[][][] scores;
            double? loss = null;
            lock (_modelLock)
            {
                if (windowLabels is null) scores = _scorer.Score(batch.Select(j => j.Ids).ToList());
                else (scores, loss) = _scorer.ScoreWithLoss(batch.Select(j => j.Ids).ToList(), batch.Select(j => windowLabels[j.Doc][j.Win]).ToList());
            }
            if (scores.Length != batch.Count) throw new InvalidOperationException($"scorer returned {scores.Length} windows for {batch.Count}");
            anyLoss |= loss is not null;
            if (loss is { } l && !double.IsNaN(l)) { lossSum += l * batch.Count; lossWeight += batch.Count; }
            for (int i = 0; i < batch.Count; i++) probs[batch[i].Doc][batch[i].Win] = scores[i];
            Interlocked.Add(ref _windowsScored, batch.Count);
        }
        double? mean = anyLoss ? (lossWeight == 0 ? 0 : lossSum / lossWeight) : null;
        var crf = Crf;
        return (docs.Select((d, i) => d.Merge(probs[i], Labels) with { Crf = crf }).ToList(), mean);
    }

    private Prepared Prepare(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = _options.WordSplitter?.Invoke(text) ?? WordTokenizer.Tokenize(text);
        var pieces = words.Count == 0 ? [] : Tokenize(words.Select(w => text[w.Start..w.End]).ToList());
        var sentences = SentenceRanges(words, _options.SentenceSplitter?.Invoke(text) ?? Data.SentenceSplitter.Split(text));
        var windows = WindowPlanner.Plan(pieces.Select(p => p.Length).ToList(), sentences, _budget, _options.Stride);
        return new Prepared(text, words, pieces, windows);
    }

    // Words given by the caller: laid out with single spaces (so entities and scores still index a text), one sentence.
    private Prepared PrepareWords(IReadOnlyList<string> words)
    {
        var spans = new (int Start, int End)[words.Count];
        int at = 0;
        for (int i = 0; i < words.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(words[i]);
            spans[i] = (at, at + words[i].Length);
            at += words[i].Length + 1;
        }
        var pieces = words.Count == 0 ? [] : Tokenize(words);
        var windows = WindowPlanner.Plan(pieces.Select(p => p.Length).ToList(), words.Count == 0 ? [] : [(0, words.Count)], _budget, _options.Stride);
        return new Prepared(string.Join(" ", words), spans, pieces, windows);
    }

    private SubToken[][] Tokenize(IReadOnlyList<string> words)
    {
        IReadOnlyList<SubToken[]> pieces;
        lock (_modelLock) pieces = _scorer.Tokenize(words);
        // A word needs at least one sub-token to be scored, and no word may exceed a window; an over-long "word" (a
        // 2,000-character sequence) keeps its first pieces, which are the ones every strategy but max/average reads.
        return pieces.Select((p, i) => Sanitize(p.Length > _budget ? p[.._budget] : p, words[i].Length)).ToArray();
    }

    // Pieces cover their word: spans clamped into it, the first starting at 0 and the last ending at its end, so word
    // entities always span whole words even when the scorer's spans are approximate (byte-level BPE) or truncated.
    private static SubToken[] Sanitize(SubToken[] pieces, int length)
    {
        if (pieces.Length == 0) return [new SubToken(0, 0, length)];
        var result = new SubToken[pieces.Length];
        int previousEnd = 0;
        for (int i = 0; i < pieces.Length; i++)
        {
            int start = i == 0 ? 0 : Math.Clamp(pieces[i].Start, previousEnd, length);
            int end = i == pieces.Length - 1 ? length : Math.Clamp(pieces[i].End, start, length);
            result[i] = new SubToken(pieces[i].Id, start, end);
            previousEnd = end;
        }
        return result;
    }

    // Sentence spans (characters) → consecutive word ranges; a word belongs to the sentence its start falls in, and
    // words outside every sentence join the previous range, so the ranges always cover all words.
    private static List<(int First, int Count)> SentenceRanges(IReadOnlyList<(int Start, int End)> words, IReadOnlyList<(int Start, int End)> sentences)
    {
        var ranges = new List<(int First, int Count)>();
        int s = 0, first = 0;
        for (int w = 0; w < words.Count; w++)
        {
            int sentence = s;
            while (sentence < sentences.Count && words[w].Start >= sentences[sentence].End) sentence++;
            if (sentence != s && w > first)
            {
                ranges.Add((first, w - first));
                first = w;
            }
            s = sentence;
        }
        if (words.Count > first) ranges.Add((first, words.Count - first));
        return ranges;
    }

    /// <summary>Disposes the scorer when it holds native resources (model weights).</summary>
    public void Dispose() => (_scorer as IDisposable)?.Dispose();

    private sealed record Prepared(string Text, IReadOnlyList<(int Start, int End)> Words, SubToken[][] Pieces, IReadOnlyList<Window> Windows)
    {
        public int[] Ids(Window w) => Pieces[w.FirstWord..w.EndWord].SelectMany(p => p).Select(p => p.Id).ToArray();

        public ScoredDocument Merge(float[][][] windowProbs, IReadOnlyList<string> labels)
        {
            // Position of each word's first sub-token inside each window that holds it.
            var positions = Windows.Select(w =>
            {
                var pos = new int[w.WordCount];
                for (int i = 1; i < w.WordCount; i++) pos[i] = pos[i - 1] + Pieces[w.FirstWord + i - 1].Length;
                return pos;
            }).ToList();
            double FirstScore(int win, int word) => windowProbs[win][positions[win][word - Windows[win].FirstWord]].Max();
            var owners = WindowPlanner.Owners(Windows, Words.Count, FirstScore);
            var tokens = new List<TokenScore>();
            for (int word = 0; word < Words.Count; word++)
            {
                int win = owners[word], at = positions[win][word - Windows[win].FirstWord];
                var pieces = Pieces[word];
                for (int p = 0; p < pieces.Length; p++)
                {
                    int start = Words[word].Start + pieces[p].Start, end = Words[word].Start + pieces[p].End;
                    tokens.Add(new TokenScore(start, end, p > 0, windowProbs[win][at + p]));
                }
            }
            return new ScoredDocument(Text, Words, tokens, labels);
        }
    }
}
