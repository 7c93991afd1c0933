namespace BioNer.Data.Craft;

/// <summary>A sentence as token spans into the article text, before labels are attached.</summary>
/// <param name="Tokens">The [start, end) span of each token, in order.</param>
/// <param name="Line">1-based line of the first token in the CoNLL-U file (null for the fallback segmenter).</param>
internal sealed record SpanSentence(List<(int Start, int End)> Tokens, int? Line)
{
    public int Start => Tokens[0].Start;
    public int End => Tokens[^1].End;
}

/// <summary>
/// Splits a CRAFT article into sentences of tokens with character offsets. Primary source: the corpus's own CoNLL-U
/// treebank (<c>structural-annotation/dependency/conllu/&lt;id&gt;.conllu</c>), whose token forms are located in the
/// text by forward string search (only whitespace may be skipped between tokens). Fallback, when an article has no
/// CoNLL-U file: <see cref="SentenceSplitter"/> (line breaks and sentence-final punctuation end sentences) and
/// <see cref="WordTokenizer"/>.
/// </summary>
internal static class CraftSegmenter
{
    public static List<SpanSentence> FromConllu(string conlluPath, string text)
    {
        var sentences = new List<SpanSentence>();
        List<(int, int)>? current = null;
        int? firstLine = null;
        int cursor = 0, lineNo = 0;
        foreach (string line in File.ReadLines(conlluPath))
        {
            lineNo++;
            if (line.Length == 0)
            {
                Flush();
                continue;
            }
            if (line[0] == '#') continue;
            string[] cols = line.Split('\t');
            if (cols.Length < 2)
                throw new BioNerException("CoNLL-U token line needs at least ID and FORM columns", conlluPath, lineNo);
            if (cols[0].Contains('-') || cols[0].Contains('.')) continue; // multi-word token ranges, empty nodes
            int start = Locate(text, cols[1], cursor, conlluPath, lineNo);
            current ??= [];
            firstLine ??= lineNo;
            current.Add((start, start + cols[1].Length));
            cursor = start + cols[1].Length;
        }
        Flush();
        return sentences;

        void Flush()
        {
            if (current is { Count: > 0 }) sentences.Add(new SpanSentence(current, firstLine));
            current = null;
            firstLine = null;
        }
    }

    private static int Locate(string text, string form, int cursor, string path, int line)
    {
        int at = text.IndexOf(form, cursor, StringComparison.Ordinal);
        if (at < 0 || !text.AsSpan(cursor, at - cursor).IsWhiteSpace())
            throw new BioNerException(
                $"CoNLL-U token '{form}' not found in the article text after offset {cursor} (text and treebank disagree)",
                path, line);
        return at;
    }

    public static List<SpanSentence> Fallback(string text) =>
        SentenceSplitter.Split(text)
            .Select(span => WordTokenizer.Tokenize(text, span.Start, span.End).ToList())
            .Where(tokens => tokens.Count > 0)
            .Select(tokens => new SpanSentence(tokens, null))
            .ToList();
}
