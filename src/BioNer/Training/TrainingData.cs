using BioNer.Data;
using BioNer.Tokenization;

namespace BioNer.Training;

/// <summary>The label vocabulary of a run and the encoding of corpora against it.</summary>
public static class TrainingData
{
    /// <summary>
    /// Reads one split of a run: the corpora of <paramref name="files"/> concatenated in order (each a <c>FILE</c> or
    /// <c>FILE:N</c>, see <see cref="ParseWeighted"/>), with <paramref name="labelMap"/> applied to each; a missing file
    /// or an empty split is a <see cref="BioNerException"/> that says which split (<paramref name="what"/>).
    /// </summary>
    internal static Corpus ReadSplit(IReadOnlyList<string> files, string what, string? labelMap)
    {
        var sentences = new List<Sentence>();
        foreach (var spec in files)
        {
            var (f, weight) = ParseWeighted(spec);
            if (!File.Exists(f) && !Directory.Exists(f)) throw new BioNerException($"{what} file not found", f);
            var c = CorpusIO.Read(f);
            if (labelMap is { } map) c = LabelMap.FromSpec(map).Apply(c);
            for (int i = 0; i < weight; i++) sentences.AddRange(c.Sentences);
        }
        if (sentences.Count == 0 || sentences.All(s => s.Count == 0))
            throw new BioNerException($"the {what} split is empty", string.Join(", ", files));
        return new Corpus(sentences, string.Join(", ", files));
    }

    /// <summary>
    /// <c>FILE</c> or <c>FILE:N</c>: a corpus repeated N times in the concatenation (oversampling a small corpus, e.g. the
    /// translated one, against a large one). A suffix that is not a positive integer is part of the path.
    /// </summary>
    internal static (string Path, int Weight) ParseWeighted(string spec)
    {
        int colon = spec.LastIndexOf(':');
        if (colon > 0 && int.TryParse(spec[(colon + 1)..], out int n) && !File.Exists(spec))
        {
            if (n < 1 || n > 100) throw new BioNerException($"--train: weight {n} of '{spec[..colon]}' must be in 1..100");
            return (spec[..colon], n);
        }
        return (spec, 1);
    }

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
        var inside = Iob2.InsideIds(labels);
        int BeginToInside(int id) => inside[id];

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
