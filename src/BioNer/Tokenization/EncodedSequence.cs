namespace BioNer.Tokenization;

/// <summary>
/// One model input built from (part of) a sentence: CLS, the words' sub-tokens, SEP — with, per position, the word it
/// came from and its training label. This is what <c>run_ner.py</c>'s <c>tokenize_and_align_labels</c> produces, plus
/// where the window sits in its sentence so predictions can be mapped back to words.
/// </summary>
/// <param name="InputIds">Token ids, specials included; length ≤ the max length it was built for.</param>
/// <param name="WordIds">Per position, the index of the word in the sentence (not in the window); -1 for specials.</param>
/// <param name="LabelIds">Per position, the label id to learn, or <see cref="WordEncoder.IgnoreIndex"/> (-100) where
/// the loss must ignore it (specials, non-first sub-tokens, inference).</param>
/// <param name="SentenceIndex">Index of the sentence in its corpus.</param>
/// <param name="FirstWord">Index in the sentence of the first word this sequence holds.</param>
/// <param name="WordCount">How many consecutive words (from <paramref name="FirstWord"/>) it holds.</param>
public sealed record EncodedSequence(int[] InputIds, int[] WordIds, int[] LabelIds, int SentenceIndex, int FirstWord, int WordCount)
{
    /// <summary>Number of positions (specials included), the sequence's length before padding.</summary>
    public int Length => InputIds.Length;
}
