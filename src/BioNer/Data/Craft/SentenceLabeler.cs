namespace BioNer.Data.Craft;

/// <summary>
/// Attaches IOB2 labels to a sentence of token spans. Where a kept mention starts or ends inside a token, that token
/// is first re-split into runs of letters, runs of digits and single other characters (<c>GFP-positive</c> →
/// <c>GFP</c>, <c>-</c>, <c>positive</c>); if the edge still falls inside a run it is split there as well
/// (<c>IOPs</c> → <c>IOP</c>, <c>s</c>). Tokens without an inner edge are left exactly as the treebank has them.
/// </summary>
internal static class SentenceLabeler
{
    public static Sentence Label(
        string text, SpanSentence sentence, IReadOnlyList<TypedSpan> mentions, string documentId, ConversionReport report)
    {
        var inSentence = mentions.Where(m => m.Start < sentence.End && sentence.Start < m.End).ToList();
        var tokens = Split(text, sentence.Tokens, inSentence, report);
        var labels = new string[tokens.Count];
        Array.Fill(labels, "O");
        foreach (var m in inSentence)
        {
            bool first = true;
            for (int i = 0; i < tokens.Count; i++)
            {
                if (tokens[i].Start < m.Start || tokens[i].End > m.End) continue;
                labels[i] = (first ? "B-" : "I-") + m.Tag;
                first = false;
            }
            if (first) report.For(m.Tag).DroppedCrossSentence++; // no token inside: cannot happen for treebank tokens
            else report.For(m.Tag).Kept++;
        }
        return new Sentence(tokens.Select(t => text[t.Start..t.End]).ToList(), labels)
        {
            Offsets = tokens,
            DocumentId = documentId,
            SourceLine = sentence.Line,
        };
    }

    private static List<(int Start, int End)> Split(
        string text, List<(int Start, int End)> tokens, List<TypedSpan> mentions, ConversionReport report)
    {
        var result = new List<(int Start, int End)>(tokens.Count);
        foreach (var token in tokens)
        {
            var edges = new List<(int At, string Tag)>();
            foreach (var m in mentions)
            {
                if (token.Start < m.Start && m.Start < token.End) edges.Add((m.Start, m.Tag));
                if (token.Start < m.End && m.End < token.End) edges.Add((m.End, m.Tag));
            }
            if (edges.Count == 0) { result.Add(token); continue; }
            var cuts = new SortedSet<int>(RunBoundaries(text, token));
            foreach (var (at, tag) in edges)
            {
                var c = report.For(tag);
                c.BoundarySplits++;
                if (cuts.Add(at)) c.MidRunSplits++;
            }
            int start = token.Start;
            foreach (int cut in cuts.Append(token.End))
            {
                result.Add((start, cut));
                start = cut;
            }
        }
        return result;
    }

    /// <summary>Offsets strictly inside <paramref name="token"/> where the character class changes (letter, digit,
    /// other) or where one "other" character follows another.</summary>
    private static IEnumerable<int> RunBoundaries(string text, (int Start, int End) token)
    {
        for (int i = token.Start + 1; i < token.End; i++)
        {
            int prev = Class(text[i - 1]), cur = Class(text[i]);
            if (prev != cur || cur == 2) yield return i;
        }
    }

    private static int Class(char c) => char.IsLetter(c) || char.IsSurrogate(c) ? 0 : char.IsDigit(c) ? 1 : 2;
}
