using System.Text;
using BioNer.Tokenization;

namespace BioNer.Inference;

/// <summary>
/// Words → <see cref="SubToken"/>s with the characters each covers, for any <see cref="ITokenScorer"/> built on an
/// <see cref="HfTokenizer"/> (TorchSharp and ONNX Runtime scorers share it, so both place entities identically).
/// </summary>
internal static class SubTokenSpans
{
    /// <summary>Each word split by the model's tokenizer, as for pre-split input, with per-sub-token word offsets.</summary>
    public static IReadOnlyList<SubToken[]> Tokenize(HfTokenizer tokenizer, IReadOnlyList<string> words)
    {
        var ids = tokenizer.EncodeWords(words);
        return ids.Select((wordIds, i) => Spans(tokenizer, words[i], wordIds)).ToList();
    }

    // Characters of the word each sub-token covers. Byte-level BPE: token symbols map back to bytes (GPT-2's
    // bytes_to_unicode), and byte counts map to UTF-16 offsets of the word (its prefix space excluded). WordPiece: the
    // token text without "##" (an approximation when lower-casing/accent stripping changed lengths; the pipeline clamps).
    private static SubToken[] Spans(HfTokenizer tokenizer, string word, int[] ids)
    {
        var result = new SubToken[ids.Length];
        bool byteLevel = tokenizer.Kind == TokenizerKind.ByteLevelBpe;
        var charAtByte = byteLevel ? CharOffsetsByByte(word) : null;
        int position = byteLevel ? -1 : 0; // byte-level: the prefix space comes first
        for (int i = 0; i < ids.Length; i++)
        {
            string token = tokenizer.IdToToken(ids[i]) ?? "";
            int length = byteLevel ? token.Length : (token.StartsWith("##", StringComparison.Ordinal) ? token.Length - 2 : token.Length);
            if (ids[i] == tokenizer.UnkId) length = word.Length;
            int end = position + length;
            result[i] = byteLevel
                ? new SubToken(ids[i], charAtByte![Math.Clamp(position, 0, charAtByte.Length - 1)], charAtByte[Math.Clamp(end, 0, charAtByte.Length - 1)])
                : new SubToken(ids[i], Math.Min(position, word.Length), Math.Min(end, word.Length));
            position = end;
        }
        return result;
    }

    // For each UTF-8 byte offset 0..n of the word, the UTF-16 offset of the character containing it.
    private static int[] CharOffsetsByByte(string word)
    {
        var map = new List<int>(word.Length * 2 + 1);
        for (int c = 0; c < word.Length; c += char.IsSurrogatePair(word, c) ? 2 : 1)
        {
            int bytes = Encoding.UTF8.GetByteCount(word.AsSpan(c, char.IsSurrogatePair(word, c) ? 2 : 1));
            for (int b = 0; b < bytes; b++) map.Add(c);
        }
        map.Add(word.Length);
        return map.ToArray();
    }
}
