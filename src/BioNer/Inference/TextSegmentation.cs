namespace BioNer.Inference;

/// <summary>Default word and sentence splitting of raw text for inference.</summary>
internal static class TextSegmentation
{
    /// <summary>Words as (start, end): whitespace separates, letters/digits stay together, any other character
    /// (punctuation, symbols, an emoji's surrogate pair) is a word of its own.</summary>
    public static IReadOnlyList<(int Start, int End)> Words(string text)
    {
        var words = new List<(int, int)>();
        int i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i])) { i++; continue; }
            int start = i;
            if (char.IsLetterOrDigit(text, i))
                while (i < text.Length && char.IsLetterOrDigit(text, i)) i += char.IsSurrogatePair(text, i) ? 2 : 1;
            else i += char.IsSurrogatePair(text, i) ? 2 : 1;
            words.Add((start, i));
        }
        return words;
    }

    /// <summary>Sentences as (start, end): a break after <c>. ! ?</c> followed by whitespace, and at line breaks.</summary>
    public static IReadOnlyList<(int Start, int End)> Sentences(string text)
    {
        var sentences = new List<(int, int)>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            bool end = text[i] == '\n' || (text[i] is '.' or '!' or '?' && i + 1 < text.Length && char.IsWhiteSpace(text[i + 1]));
            if (!end) continue;
            sentences.Add((start, i + 1));
            start = i + 1;
        }
        if (start < text.Length) sentences.Add((start, text.Length));
        return sentences;
    }
}
