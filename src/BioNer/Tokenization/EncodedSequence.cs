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

/// <summary>
/// An inference window from <see cref="WordEncoder.EncodeWithStride"/>: its context may overlap its neighbours', but
/// each word of the sentence is the responsibility ("primary") of exactly one window — the one where it sits nearest
/// the middle of the overlap, so it sees the most context on both sides. Take a word's prediction from its primary window.
/// </summary>
/// <param name="Sequence">The encoded window (its <see cref="EncodedSequence.FirstWord"/>/<see cref="EncodedSequence.WordCount"/>
/// cover the context words too).</param>
/// <param name="PrimaryFirstWord">Sentence index of the first word this window is responsible for.</param>
/// <param name="PrimaryWordCount">How many consecutive words it is responsible for (at least one).</param>
public sealed record StrideWindow(EncodedSequence Sequence, int PrimaryFirstWord, int PrimaryWordCount)
{
    /// <summary>Whether this window is responsible for sentence word <paramref name="wordIndex"/>.</summary>
    public bool IsPrimary(int wordIndex) =>
        wordIndex >= PrimaryFirstWord && wordIndex < PrimaryFirstWord + PrimaryWordCount;

    /// <summary>Per word of the window (from <see cref="EncodedSequence.FirstWord"/>), whether it is primary here.</summary>
    public bool[] PrimaryMask =>
        Enumerable.Range(Sequence.FirstWord, Sequence.WordCount).Select(IsPrimary).ToArray();
}
