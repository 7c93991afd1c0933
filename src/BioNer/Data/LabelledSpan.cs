namespace BioNer.Data;

/// <summary>
/// A typed run [Start, End) of words in a sentence, or of characters in a text where the caller says so. Why one type:
/// readers, writers, augmenters and translation projections all take spans from <see cref="Schemes.Spans"/> and hand
/// them to <see cref="Schemes.Encode"/>, so a span means the same everywhere (End exclusive).
/// </summary>
/// <param name="Type">The entity type (<c>Chemical</c>), without a prefix.</param>
/// <param name="Start">First word (or character).</param>
/// <param name="End">One past the last word (or character).</param>
public readonly record struct LabelledSpan(string Type, int Start, int End)
{
    /// <summary>Number of words (or characters).</summary>
    public int Length => End - Start;

    /// <summary>Reads a <c>(type, start, end)</c> tuple as a span.</summary>
    public static implicit operator LabelledSpan((string Type, int Start, int End) span) => new(span.Type, span.Start, span.End);

    /// <summary>
    /// For a character span, the run of <paramref name="words"/> (character offsets, in order, not overlapping) that lie
    /// wholly inside it, as a word span of the same type; null when no word does.
    /// </summary>
    public LabelledSpan? WordsWithin(IReadOnlyList<(int Start, int End)> words)
    {
        int first = 0;
        while (first < words.Count && !Holds(words[first])) first++;
        if (first == words.Count) return null;
        int end = first + 1;
        while (end < words.Count && Holds(words[end])) end++;
        return new LabelledSpan(Type, first, end);
    }

    private bool Holds((int Start, int End) word) => word.Start >= Start && word.End <= End;
}
