using BioNer.Data;
using BioNer.Tokenization;

namespace BioNer.Training;

/// <summary>
/// A corpus turned into model inputs: each sentence split into windows of sub-token ids with aligned label ids
/// (<c>run_ner.py</c> rules), remembering which sentence and words each window covers so predictions map back to words.
/// </summary>
public sealed class EncodedCorpus
{
    /// <summary>The source sentences (gold labels live here).</summary>
    public required Corpus Corpus { get; init; }

    /// <summary>Windows in sentence order; a long sentence gives several consecutive windows.</summary>
    public required IReadOnlyList<EncodedSequence> Sequences { get; init; }

    /// <summary>Total sub-tokens over all windows, specials included (the real, unpadded work).</summary>
    public long TokenCount => Sequences.Sum(s => (long)s.InputIds.Length);

    /// <summary>Number of sentences longer than one window (split, never truncated).</summary>
    public int SplitSentences => Sequences.Where(s => s.FirstWord > 0).Select(s => s.SentenceIndex).Distinct().Count();
}

/// <summary>The label vocabulary of a run and the encoding of corpora against it.</summary>
public static class TrainingData
{
    /// <summary>
    /// The labels of a run: the model's own labels first (two-step transfer keeps their rows), then any label the
    /// training data adds, as <c>O</c>, then B-/I- per new type in ordinal order. Generic HF names (<c>LABEL_0</c>) of
    /// a base checkpoint are not labels.
    /// </summary>
    public static IReadOnlyList<string> BuildLabels(IReadOnlyList<string>? modelLabels, IEnumerable<Corpus> training)
    {
        var labels = new List<string>();
        if (modelLabels is not null && !modelLabels.All(l => l.StartsWith("LABEL_", StringComparison.Ordinal)))
            labels.AddRange(modelLabels);
        if (!labels.Contains(Schemes.Outside)) labels.Insert(0, Schemes.Outside);
        var types = training.SelectMany(c => c.EntityTypes()).Distinct().OrderBy(t => t, StringComparer.Ordinal);
        foreach (var t in types)
        {
            if (!labels.Contains(Iob2.Begin(t))) labels.Add(Iob2.Begin(t));
            if (!labels.Contains(Iob2.Inside(t))) labels.Add(Iob2.Inside(t));
        }
        return labels;
    }

    /// <summary>
    /// Encodes a corpus; every label must be in <paramref name="labels"/>, else a <see cref="BioNerException"/> names
    /// the file and line of the sentence (checked before any training starts).
    /// </summary>
    public static EncodedCorpus Encode(Corpus corpus, HfTokenizer tokenizer, IReadOnlyList<string> labels,
        int maxLength, bool labelAllTokens)
    {
        var label2id = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < labels.Count; i++) label2id[labels[i]] = i;
        int BeginToInside(int id) =>
            Iob2.InsideOf(labels[id]) is { } inside && label2id.TryGetValue(inside, out int j) ? j : id;

        var ids = LabelIds(corpus, labels);
        var sequences = new List<EncodedSequence>();
        for (int s = 0; s < corpus.Sentences.Count; s++)
        {
            var sentence = corpus.Sentences[s];
            if (sentence.Count == 0) continue;
            sequences.AddRange(WordEncoder.Encode(tokenizer, sentence.Words, ids[s], s, maxLength, labelAllTokens, BeginToInside));
        }
        return new EncodedCorpus { Corpus = corpus, Sequences = sequences };
    }

    /// <summary>
    /// Per sentence, per word, the id of its label in <paramref name="labels"/>; a label outside them is a
    /// <see cref="BioNerException"/> naming the file and line of the sentence (so a dev set with a type the run cannot
    /// learn fails before training, not after it).
    /// </summary>
    public static int[][] LabelIds(Corpus corpus, IReadOnlyList<string> labels)
    {
        var label2id = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < labels.Count; i++) label2id[labels[i]] = i;
        return corpus.Sentences.Select(sentence =>
        {
            var ids = new int[sentence.Count];
            for (int w = 0; w < ids.Length; w++)
            {
                if (!label2id.TryGetValue(sentence.Labels[w], out ids[w]))
                    throw new BioNerException(
                        $"label '{sentence.Labels[w]}' (word '{sentence.Words[w]}') is not one of the model's labels: {string.Join(", ", labels)}",
                        corpus.Source, sentence.SourceLine);
            }
            return ids;
        }).ToArray();
    }
}
