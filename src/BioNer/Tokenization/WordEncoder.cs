namespace BioNer.Tokenization;

/// <summary>
/// Turns a word-tokenized sentence into model inputs with labels aligned to sub-tokens, as HF <c>run_ner.py</c> does:
/// the first sub-token of a word carries the word's label, the others -100 (or, with label-all-tokens, the word's
/// label with B-X turned into I-X), specials -100. Unlike <c>run_ner.py</c>, which truncates long sentences and loses
/// their tail, a sentence that does not fit is split at word boundaries into several windows, so no word is dropped.
/// </summary>
public static class WordEncoder
{
    /// <summary>The label id PyTorch's cross-entropy ignores (<c>ignore_index=-100</c>).</summary>
    public const int IgnoreIndex = -100;

    /// <summary>
    /// Encodes one sentence into one or more consecutive, non-overlapping windows of at most
    /// <paramref name="maxLength"/> positions (CLS and SEP included). Every word lands in exactly one window; a single
    /// word longer than a window keeps only its first <c>maxLength - 2</c> sub-tokens (the one carrying its label).
    /// An empty sentence gives no windows.
    /// </summary>
    /// <param name="tok">The model's tokenizer.</param>
    /// <param name="words">The sentence's words.</param>
    /// <param name="wordLabelIds">One label id per word, or null for inference (all labels -100).</param>
    /// <param name="sentenceIndex">Stored in each result to map it back.</param>
    /// <param name="maxLength">Longest sequence, specials included (at least 3).</param>
    /// <param name="labelAllTokens">Label every sub-token, not only the first.</param>
    /// <param name="beginToInside">With <paramref name="labelAllTokens"/>, maps a B-X id to its I-X id for the
    /// non-first sub-tokens (as run_ner.py's <c>b_to_i_label</c>); null keeps the word's own label.</param>
    /// <exception cref="BioNerException">Label count differs from word count, or maxLength is below 3.</exception>
    public static IReadOnlyList<EncodedSequence> Encode(HfTokenizer tok, IReadOnlyList<string> words,
        IReadOnlyList<int>? wordLabelIds, int sentenceIndex, int maxLength, bool labelAllTokens = false,
        Func<int, int>? beginToInside = null)
    {
        var pieces = Prepare(tok, words, wordLabelIds, sentenceIndex, maxLength);
        var align = new Alignment(tok.ClsId, tok.SepId, wordLabelIds, labelAllTokens, beginToInside, sentenceIndex);
        var result = new List<EncodedSequence>();
        for (int start = 0; start < pieces.Length;)
        {
            int end = FillWindow(pieces, start, maxLength - 2);
            result.Add(align.Build(pieces, start, end, maxLength - 2));
            start = end;
        }
        return result;
    }

    private static int[][] Prepare(HfTokenizer tok, IReadOnlyList<string> words, IReadOnlyList<int>? labels,
                                   int sentenceIndex, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(tok);
        ArgumentNullException.ThrowIfNull(words);
        if (maxLength < 3)
            throw new BioNerException($"maxLength must be at least 3 (CLS, one sub-token, SEP), got {maxLength} (parameter 'maxLength')");
        if (labels is not null && labels.Count != words.Count)
            throw new BioNerException($"sentence {sentenceIndex} has {words.Count} words but {labels.Count} labels");
        return tok.EncodeWords(words);
    }

    /// <summary>End (exclusive) of the longest run of whole words from <paramref name="start"/> fitting the budget; ≥ start + 1.</summary>
    private static int FillWindow(int[][] pieces, int start, int budget)
    {
        int end = start, used = 0;
        while (end < pieces.Length && used + pieces[end].Length <= budget) used += pieces[end++].Length;
        return Math.Max(end, start + 1);
    }

    /// <summary>How positions get their word ids and labels; one per sentence.</summary>
    private sealed record Alignment(int Cls, int Sep, IReadOnlyList<int>? Labels, bool LabelAll,
                                    Func<int, int>? BeginToInside, int SentenceIndex)
    {
        public EncodedSequence Build(int[][] pieces, int start, int end, int budget)
        {
            int n = Math.Min(budget, Enumerable.Range(start, end - start).Sum(w => pieces[w].Length)) + 2;
            var ids = new int[n];
            var wordIds = new int[n];
            var labels = new int[n];
            ids[0] = Cls; wordIds[0] = -1; labels[0] = IgnoreIndex;
            int pos = 1;
            for (int w = start; w < end; w++)
                for (int j = 0; j < pieces[w].Length && pos < n - 1; j++, pos++)
                {
                    ids[pos] = pieces[w][j];
                    wordIds[pos] = w;
                    labels[pos] = LabelFor(w, first: j == 0);
                }
            ids[n - 1] = Sep; wordIds[n - 1] = -1; labels[n - 1] = IgnoreIndex;
            return new EncodedSequence(ids, wordIds, labels, SentenceIndex, start, end - start);
        }

        private int LabelFor(int word, bool first)
        {
            if (Labels is null) return IgnoreIndex;
            int label = Labels[word];
            if (first) return label;
            return !LabelAll ? IgnoreIndex : BeginToInside?.Invoke(label) ?? label;
        }
    }
}
