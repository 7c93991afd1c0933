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

/// <summary>Reads mention boundaries from IOB2 labels (a stray I-X that does not continue an X mention starts one).</summary>
internal static class MentionSpans
{
    /// <summary>The mentions of a sentence, in order; <paramref name="source"/> names the corpus file in errors.</summary>
    public static List<Span> Mentions(Sentence sentence, string? source = null) => Segments(sentence, source).Where(s => s.Type is not null).ToList();

    /// <summary>The sentence cut into consecutive segments: each mention, and each maximal run of O words.</summary>
    public static List<Span> Segments(Sentence sentence, string? source = null)
    {
        var labels = sentence.Labels;
        if (labels.Count != sentence.Words.Count)
            throw new BioNerException($"sentence has {sentence.Words.Count} words but {labels.Count} labels", source, sentence.SourceLine);
        var spans = new List<Span>();
        int start = 0;
        string? type = null;
        for (int i = 0; i < labels.Count; i++)
        {
            var (prefix, t) = Parse(labels[i], sentence, source);
            bool continues = prefix == 'I' ? type == t : prefix == 'O' && type is null;
            if (i > 0 && !continues)
            {
                spans.Add(new Span(start, i, type));
                start = i;
            }
            type = t;
        }
        if (labels.Count > 0) spans.Add(new Span(start, labels.Count, type));
        return spans;
    }

    private static (char Prefix, string? Type) Parse(string label, Sentence sentence, string? source)
    {
        if (label == "O") return ('O', null);
        if (label.Length > 2 && label[1] == '-' && label[0] is 'B' or 'I') return (label[0], label[2..]);
        throw new BioNerException($"label '{label}' is not IOB2 (O, B-X, I-X)", source, sentence.SourceLine);
    }

    /// <summary>The IOB2 labels of a mention of <paramref name="type"/> that is <paramref name="length"/> words long.</summary>
    public static IEnumerable<string> Labels(string type, int length) =>
        Enumerable.Range(0, length).Select(i => (i == 0 ? "B-" : "I-") + type);
}
