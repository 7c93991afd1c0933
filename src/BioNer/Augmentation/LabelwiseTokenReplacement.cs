using BioNer.Data;

namespace BioNer.Augmentation;

/// <summary>
/// Label-wise token replacement (LwTR, Dai &amp; Adel 2020): each word is, with probability
/// <see cref="AugmentationOptions.Ratio"/>, replaced by a word drawn from the training set's words carrying the same label
/// (frequency-weighted: every occurrence is one ticket). Labels never change, so the sentence length and label sequence
/// are kept exactly.
/// </summary>
public sealed class LabelwiseTokenReplacement : IAugmenter
{
    private readonly AugmentationOptions _options;
    private readonly Corpus? _distribution;

    /// <summary>
    /// Creates the augmenter. The label-wise word distribution comes from <paramref name="distribution"/> when given,
    /// otherwise from the corpus being augmented (the training set).
    /// </summary>
    public LabelwiseTokenReplacement(AugmentationOptions? options = null, Corpus? distribution = null)
    {
        _options = options ?? new AugmentationOptions();
        _options.Validate();
        _distribution = distribution;
    }

    /// <inheritdoc/>
    public string Name => "lwtr";

    /// <inheritdoc/>
    public AugmentationResult Augment(Corpus corpus)
    {
        var byLabel = Distribution(_distribution ?? corpus);
        return AugmentLoop.Run(corpus, _options, Name, "tokens", (sentence, rng, report) =>
        {
            MentionSpans.Segments(sentence, corpus.Source); // validates the labels
            string[]? words = null;
            for (int i = 0; i < sentence.Count; i++)
            {
                string label = sentence.Labels[i], type = Iob2.Parse(label) is ('B' or 'I', var t) ? t : label;
                report.Seen(type);
                if (rng.NextDouble() >= _options.Ratio) continue;
                if (!byLabel.TryGetValue(label, out var pool)) { report.NoCandidate(type); continue; }
                string word = pool[rng.Next(pool.Count)];
                if (word == sentence.Words[i]) continue;
                words ??= [.. sentence.Words];
                words[i] = word;
                report.Replaced(type);
            }
            return words is null ? null : (words, [.. sentence.Labels]);
        });
    }

    /// <summary>Every word occurrence of the corpus, grouped by its full label (B-X, I-X and O apart).</summary>
    internal static Dictionary<string, List<string>> Distribution(Corpus corpus)
    {
        var byLabel = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var s in corpus.Sentences)
        {
            MentionSpans.Segments(s, corpus.Source); // validates labels
            for (int i = 0; i < s.Count; i++)
            {
                if (!byLabel.TryGetValue(s.Labels[i], out var pool)) byLabel[s.Labels[i]] = pool = [];
                pool.Add(s.Words[i]);
            }
        }
        return byLabel;
    }
}
