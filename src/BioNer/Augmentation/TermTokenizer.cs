using System.Globalization;

namespace BioNer.Augmentation;

/// <summary>
/// How term strings (ontology names, list lines) are cut into words. Terms must be tokenized exactly like the corpus,
/// or a replacement would carry multi-token words the model never sees in real text; so every term source takes a
/// <c>Func&lt;string, IReadOnlyList&lt;string&gt;&gt;</c> and falls back to <see cref="Default"/>.
/// </summary>
internal static class TermTokenizer
{
    /// <summary>The single swap point: the tokenizer used when a caller passes none.</summary>
    internal static readonly Func<string, IReadOnlyList<string>> Default = SplitWords;

    /// <summary>
    /// Whitespace separates words; runs of letters, digits and combining marks stay together; every other character
    /// (punctuation, symbols) is a word on its own. "alpha-D-glucose (2)" → alpha - D - glucose ( 2 ).
    /// </summary>
    internal static IReadOnlyList<string> SplitWords(string text)
    {
        var words = new List<string>();
        int start = -1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (IsWordChar(c))
            {
                if (start < 0) start = i;
                continue;
            }
            if (start >= 0) { words.Add(text[start..i]); start = -1; }
            if (char.IsWhiteSpace(c)) continue;
            int len = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            words.Add(text.Substring(i, len));
            i += len - 1;
        }
        if (start >= 0) words.Add(text[start..]);
        return words;
    }

    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
}
