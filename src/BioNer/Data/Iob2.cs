namespace BioNer.Data;

/// <summary>
/// The spelling of BioNer's in-memory labels, IOB2: <c>B-Type</c> begins a span, <c>I-Type</c> continues it,
/// <see cref="Schemes.Outside"/> is outside (the letters of <see cref="SchemeTable"/>'s IOB2 row). For code that makes or
/// reads one label at a time; whole sequences go through <see cref="Schemes.Spans"/> and <see cref="Schemes.Encode"/>.
/// </summary>
public static class Iob2
{
    /// <summary>The label of a span's first word: <c>B-Type</c>.</summary>
    public static string Begin(string type) => "B-" + type;

    /// <summary>The label of a span's later words: <c>I-Type</c>.</summary>
    public static string Inside(string type) => "I-" + type;

    /// <summary>The labels of one span of <paramref name="length"/> words: <c>B-Type</c>, then <c>I-Type</c>.</summary>
    public static IEnumerable<string> Span(string type, int length) =>
        Enumerable.Range(0, length).Select(i => i == 0 ? Begin(type) : Inside(type));

    /// <summary>
    /// Splits <c>B-X</c> / <c>I-X</c> into (<c>'B'</c>/<c>'I'</c>, X) and <c>O</c> into (<c>'O'</c>, ""); null for any
    /// other label. Exact, as HuggingFace splits labels: no trimming, and X may be empty (<c>B-</c>), which callers that
    /// need a type reject themselves.
    /// </summary>
    public static (char Prefix, string Type)? Parse(string label) =>
        label == Schemes.Outside ? ('O', "")
        : label.Length >= 2 && label[1] == '-' && label[0] is 'B' or 'I' ? (label[0], label[2..])
        : null;

    /// <summary>
    /// The label that continues the span <paramref name="label"/> begins (<c>B-X</c> → <c>I-X</c>); null when it begins
    /// none. Label-all-tokens training and decoding label a word's later sub-tokens with it.
    /// </summary>
    public static string? InsideOf(string label) => Parse(label) is ('B', var type) ? Inside(type) : null;

    /// <summary>
    /// Per label id, the id of the label that continues its span (<c>B-X</c> → id of <c>I-X</c>); every other id maps to
    /// itself, also a <c>B-X</c> whose <c>I-X</c> is not in <paramref name="labels"/>. Computed once per label set so the
    /// per-sub-token encoding of label-all-tokens training and evaluation is an array lookup.
    /// </summary>
    public static int[] InsideIds(IReadOnlyList<string> labels)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < labels.Count; i++) index.TryAdd(labels[i], i);
        return labels.Select((l, i) => InsideOf(l) is { } inside && index.TryGetValue(inside, out int j) ? j : i).ToArray();
    }

    /// <summary>
    /// Whether IOB2 allows <paramref name="to"/> right after <paramref name="from"/> (null = the sentence start):
    /// <c>I-X</c> only continues <c>B-X</c> or <c>I-X</c>; every other move is allowed, also for labels of no IOB2 form.
    /// The constraint of constrained (Viterbi) decoding and of a CRF's forbidden transitions.
    /// </summary>
    public static bool Allows(string? from, string to)
    {
        if (Parse(to) is not ('I', var type)) return true;
        return from is not null && Parse(from) is ('B' or 'I', var previous) && previous == type;
    }
}
