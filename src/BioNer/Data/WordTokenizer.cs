using System.Globalization;
using System.Text;

namespace BioNer.Data;

/// <summary>
/// Splits raw text into words with character offsets, the way biomedical NER corpora are word-tokenized (and like
/// BERT's basic tokenizer): whitespace separates; runs of letters and digits stay together; every punctuation mark or
/// symbol is its own word (<c>IL-2-induced</c> → <c>IL</c> <c>-</c> <c>2</c> <c>-</c> <c>induced</c>;
/// <c>p53.</c> → <c>p53</c> <c>.</c>); CJK ideographs are one word each. Unicode-aware: a surrogate pair (emoji) is
/// never cut, and combining marks, variation selectors and zero-width joiners stay with the character before them.
/// Offsets are .NET string indices (UTF-16 code units), [Start, End). Used by the BRAT reader, inference
/// (raw text → words) and the CRAFT converter.
/// </summary>
public static class WordTokenizer
{
    private enum Kind { Separator, Word, Single, Mark }

    /// <summary>The words of <paramref name="text"/> as [Start, End) spans.</summary>
    public static IReadOnlyList<(int Start, int End)> Tokenize(string text) => Tokenize(text, 0, text.Length);

    /// <summary>The words inside <paramref name="text"/>[<paramref name="start"/>, <paramref name="end"/>), with offsets into the whole text.</summary>
    public static IReadOnlyList<(int Start, int End)> Tokenize(string text, int start, int end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, text.Length);
        var tokens = new List<(int, int)>();
        int tokStart = -1;
        Kind tokKind = Kind.Separator;
        bool joinNext = false; // after a zero-width joiner, the next character continues the token (emoji sequences)
        for (int i = start; i < end;)
        {
            int len = char.IsSurrogatePair(text, i) && i + 1 < end ? 2 : 1;
            var (kind, isJoiner) = Classify(text, i, len);
            bool extend = tokStart >= 0 && (kind == Kind.Mark || (joinNext && kind != Kind.Separator)
                || (kind == Kind.Word && tokKind == Kind.Word));
            if (!extend && tokStart >= 0) tokens.Add((tokStart, i));
            if (!extend) (tokStart, tokKind) = kind == Kind.Separator ? (-1, Kind.Separator) : (i, kind == Kind.Mark ? Kind.Single : kind);
            joinNext = isJoiner && tokStart >= 0;
            i += len;
        }
        if (tokStart >= 0) tokens.Add((tokStart, end));
        return tokens;
    }

    /// <summary>The words of <paramref name="text"/> as strings (convenience for tests and tools).</summary>
    public static IReadOnlyList<string> Words(string text) => Tokenize(text).Select(t => text[t.Start..t.End]).ToList();

    /// <summary>
    /// Cuts every token that strictly contains one of <paramref name="boundaries"/> at that position, so that forced
    /// boundaries (annotation starts and ends) always fall between words. Tokens must be sorted and non-overlapping.
    /// </summary>
    public static IReadOnlyList<(int Start, int End)> SplitAt(IReadOnlyList<(int Start, int End)> tokens, IEnumerable<int> boundaries) =>
        SplitAt(tokens, boundaries, out _);

    /// <summary>As <see cref="SplitAt(IReadOnlyList{ValueTuple{int, int}}, IEnumerable{int})"/>; <paramref name="splitTokens"/> counts the tokens that were cut.</summary>
    public static IReadOnlyList<(int Start, int End)> SplitAt(
        IReadOnlyList<(int Start, int End)> tokens, IEnumerable<int> boundaries, out int splitTokens)
    {
        var cuts = boundaries.Distinct().Order().ToArray();
        var result = new List<(int, int)>(tokens.Count);
        splitTokens = 0;
        foreach (var (s, e) in tokens)
        {
            int k = Array.BinarySearch(cuts, s + 1);
            if (k < 0) k = ~k;
            int from = s;
            for (; k < cuts.Length && cuts[k] < e; k++)
            {
                result.Add((from, cuts[k]));
                from = cuts[k];
            }
            if (from != s) splitTokens++;
            result.Add((from, e));
        }
        return result;
    }

    private static (Kind Kind, bool IsJoiner) Classify(string text, int i, int len)
    {
        int cp = len == 2 ? char.ConvertToUtf32(text[i], text[i + 1]) : text[i];
        if (cp == 0x200D) return (Kind.Mark, true);
        if (cp is 0x200B or 0xFEFF || char.IsWhiteSpace(text, i)) return (Kind.Separator, false);
        if (len == 1 && char.IsSurrogate(text[i])) return (Kind.Single, false); // lone surrogate: keep it, alone
        var cat = Rune.GetUnicodeCategory(new Rune(cp));
        if (cat is UnicodeCategory.Control) return (Kind.Separator, false);
        if (cat is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format || cp is >= 0x1F3FB and <= 0x1F3FF) // emoji skin-tone modifiers
            return (Kind.Mark, false);
        if (IsCjkIdeograph(cp)) return (Kind.Single, false);
        return (Rune.IsLetterOrDigit(new Rune(cp)) ? Kind.Word : Kind.Single, false);
    }

    // The CJK Unified Ideographs blocks, as BERT's BasicTokenizer._is_chinese_char.
    private static bool IsCjkIdeograph(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2CEAF
            or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
