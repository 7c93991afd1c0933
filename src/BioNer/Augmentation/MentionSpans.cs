using BioNer.Data;

namespace BioNer.Augmentation;

/// <summary>A run of words in a sentence: a mention of <see cref="Type"/>, or an O-run when <see cref="Type"/> is null.</summary>
/// <param name="Start">Index of the first word.</param>
/// <param name="End">Index one past the last word.</param>
/// <param name="Type">The entity type, or null for words outside any mention.</param>
internal readonly record struct Span(int Start, int End, string? Type)
{
    public int Length => End - Start;
}

/// <summary>Augmentation's view of a sentence's IOB2 labels: mentions and the O-runs between them (a stray I-X that does not continue an X mention starts one).</summary>
internal static class MentionSpans
{
    /// <summary>The mentions of a sentence, in order; <paramref name="source"/> names the corpus file in errors.</summary>
    public static List<Span> Mentions(Sentence sentence, string? source = null) => Segments(sentence, source).Where(s => s.Type is not null).ToList();

    /// <summary>
    /// The sentence cut into consecutive segments: each mention (read by <see cref="Schemes.Spans"/>), and each maximal
    /// run of O words. Throws a <see cref="BioNerException"/> for a label that is not IOB2.
    /// </summary>
    public static List<Span> Segments(Sentence sentence, string? source = null)
    {
        var labels = sentence.Labels;
        if (labels.Count != sentence.Words.Count)
            throw new BioNerException($"sentence has {sentence.Words.Count} words but {labels.Count} labels", source, sentence.SourceLine);
        foreach (var label in labels)
            if (Iob2.Parse(label) is not { } p || (p.Prefix != 'O' && p.Type.Length == 0))
                throw new BioNerException($"label '{label}' is not IOB2 (O, B-X, I-X)", source, sentence.SourceLine);
        var segments = new List<Span>();
        int at = 0;
        foreach (var (type, start, end) in Schemes.Spans(labels))
        {
            if (start > at) segments.Add(new Span(at, start, null));
            segments.Add(new Span(start, end, type));
            at = end;
        }
        if (at < labels.Count) segments.Add(new Span(at, labels.Count, null));
        return segments;
    }

    /// <summary>The IOB2 labels of a mention of <paramref name="type"/> that is <paramref name="length"/> words long.</summary>
    public static IEnumerable<string> Labels(string type, int length) => Iob2.Span(type, length);
}
