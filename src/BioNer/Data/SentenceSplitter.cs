namespace BioNer.Data;

/// <summary>
/// A small rule-based sentence splitter for biomedical prose, enough to cut documents (BRAT, raw text for inference)
/// into model-sized pieces: a sentence ends after <c>.</c>, <c>!</c> or <c>?</c> (plus closing quotes/brackets) when
/// whitespace and then an upper-case letter, a digit or an opening quote/bracket follow — except after common
/// abbreviations (<c>e.g.</c>, <c>i.e.</c>, <c>Fig.</c>, <c>et al.</c>, <c>vs.</c>, ...) and single capital
/// initials (<c>J. Smith</c>). A blank line always ends a sentence, and so does any line break unless
/// <c>newlineEndsSentence</c> is false (hard-wrapped text). Offsets are UTF-16 indices, spans trimmed of whitespace.
/// </summary>
public static class SentenceSplitter
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "e.g", "i.e", "fig", "figs", "al", "vs", "cf", "dr", "mr", "mrs", "ms", "prof", "no", "nos", "eq", "eqs",
        "ref", "refs", "approx", "ca", "st", "tab", "suppl", "resp", "viz", "inc", "ltd", "co", "jr", "sr", "sp", "spp",
        "var", "vol", "pp", "ed", "eds", "subsp", "chr", "ch", "sect", "nr", "u.s", "a.k.a",
    };

    private const string Closers = "\"')]}\u2019\u201D\u00BB";
    private const string Openers = "\"'([{\u2018\u201C\u00AB";

    /// <summary>The sentences of <paramref name="text"/> as [Start, End) spans, in order, none empty.</summary>
    public static IReadOnlyList<(int Start, int End)> Split(string text, bool newlineEndsSentence = true)
    {
        var cuts = new List<int>();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n' && (newlineEndsSentence || IsBlankLineAhead(text, i))) cuts.Add(i);
            else if (c is '.' or '!' or '?' && EndsSentence(text, i) is int cut) cuts.Add(cut);
        }
        cuts.Add(text.Length);
        var spans = new List<(int, int)>();
        int from = 0;
        foreach (int cut in cuts)
        {
            int s = from, e = cut;
            while (s < e && char.IsWhiteSpace(text[s])) s++;
            while (e > s && char.IsWhiteSpace(text[e - 1])) e--;
            if (e > s) spans.Add((s, e));
            from = Math.Max(from, cut);
        }
        return spans;
    }

    /// <summary>Where the sentence ends if the terminal mark at <paramref name="i"/> ends one, else null.</summary>
    private static int? EndsSentence(string text, int i)
    {
        int j = i + 1;
        while (j < text.Length && Closers.Contains(text[j])) j++;
        if (j >= text.Length || !char.IsWhiteSpace(text[j])) return null;
        int k = j;
        while (k < text.Length && char.IsWhiteSpace(text[k])) k++;
        if (k >= text.Length) return null;
        char next = text[k];
        bool starts = char.IsUpper(next) || char.IsDigit(next)
            || (Openers.Contains(next) && k + 1 < text.Length && (char.IsUpper(text[k + 1]) || char.IsDigit(text[k + 1])));
        if (!starts) return null;
        return text[i] == '.' && IsAbbreviation(text, i) ? null : j;
    }

    /// <summary>Whether the word before the period at <paramref name="dot"/> is an abbreviation or a capital initial.</summary>
    private static bool IsAbbreviation(string text, int dot)
    {
        int s = dot;
        while (s > 0 && (char.IsLetter(text[s - 1]) || (text[s - 1] == '.' && s - 1 > 0 && char.IsLetter(text[s - 2])))) s--;
        string word = text[s..dot];
        if (word.Length == 0) return false;
        return Abbreviations.Contains(word) || (word.Length == 1 && char.IsUpper(word[0]));
    }

    private static bool IsBlankLineAhead(string text, int nl)
    {
        for (int k = nl + 1; k < text.Length && char.IsWhiteSpace(text[k]); k++)
            if (text[k] == '\n') return true;
        return false;
    }
}
