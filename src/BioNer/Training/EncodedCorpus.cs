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
