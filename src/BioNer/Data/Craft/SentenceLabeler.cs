namespace BioNer.Data.Craft;

/// <summary>
/// Attaches IOB2 labels to a sentence of token spans. Where a kept mention starts or ends inside a token, that token
/// is first re-split by <see cref="WordTokenizer"/> (letter/digit runs and single punctuation marks:
/// <c>GFP-positive</c> → <c>GFP</c>, <c>-</c>, <c>positive</c>); if the edge still falls inside a run it is split there
/// as well (<c>IOPs</c> → <c>IOP</c>, <c>s</c>; <c>Pax6</c> → <c>Pax</c>, <c>6</c>). Tokens without an inner edge are
/// left exactly as the treebank has them.
/// </summary>
internal static class SentenceLabeler
{
    public static Sentence Label(
        string text, SpanSentence sentence, int index, IReadOnlyList<LabelledSpan> mentions, string documentId,
        ConversionReport report)
    {
        var inSentence = mentions.Where(m => m.Start < sentence.End && sentence.Start < m.End).ToList();
        var tokens = Split(text, sentence.Tokens, inSentence, report);
        var spans = new List<LabelledSpan>();
        foreach (var m in inSentence)
        {
            var words = m.WordsWithin(tokens);
            if (words is null) report.For(m.Type).DroppedCrossSentence++; // no token inside: cannot happen for treebank tokens
            else
            {
                spans.Add(words.Value);
                report.For(m.Type).Kept++;
            }
        }
        return new Sentence(tokens.Select(t => text[t.Start..t.End]).ToList(), Schemes.Encode(spans, tokens.Count))
        {
            Offsets = tokens,
            Id = $"{documentId}-{index}",
            DocumentId = documentId,
            SourceLine = sentence.Line,
        };
    }

    private static List<(int Start, int End)> Split(
        string text, List<(int Start, int End)> tokens, List<LabelledSpan> mentions, ConversionReport report)
    {
        var result = new List<(int Start, int End)>(tokens.Count);
        foreach (var token in tokens)
        {
            var edges = new List<(int At, string Tag)>();
            foreach (var m in mentions)
            {
                if (token.Start < m.Start && m.Start < token.End) edges.Add((m.Start, m.Type));
                if (token.Start < m.End && m.End < token.End) edges.Add((m.End, m.Type));
            }
            if (edges.Count == 0) { result.Add(token); continue; }
            var runs = WordTokenizer.Tokenize(text, token.Start, token.End);
            var runEdges = runs.Skip(1).Select(r => r.Start).ToHashSet();
            foreach (var (at, tag) in edges)
            {
                var c = report.For(tag);
                c.BoundarySplits++;
                if (!runEdges.Contains(at)) c.MidRunSplits++;
            }
            result.AddRange(WordTokenizer.SplitAt(runs, edges.Select(e => e.At)));
        }
        return result;
    }
}
