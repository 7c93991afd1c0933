using System.Globalization;
using System.Text;

namespace BioNer.Tokenization;

/// <summary>
/// BERT's <c>strip_accents</c>: canonical decomposition (NFD) followed by dropping non-spacing marks, so "Héllo" and
/// "Hello" share ids in uncased models. Why not <c>string.Normalize</c>: BioNer runs with invariant globalization, where
/// normalization is a no-op; the decomposition table is therefore carried here (see <c>AccentStripper.Data.cs</c>).
/// </summary>
internal static partial class AccentStripper
{
    private const int HangulBase = 0xAC00, HangulCount = 11172, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int VCount = 21, TCount = 28;

    private static readonly Dictionary<int, string> Map = ParseTable();

    /// <summary>Returns <paramref name="text"/> decomposed with every non-spacing mark removed.</summary>
    public static string Strip(string text)
    {
        if (IsPlainAscii(text)) return text;
        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            int cp = char.IsSurrogatePair(text, i) ? char.ConvertToUtf32(text[i], text[++i]) : text[i];
            if (Map.TryGetValue(cp, out var mapped)) sb.Append(mapped);
            else if (cp - HangulBase is >= 0 and < HangulCount) AppendHangul(sb, cp - HangulBase);
            else if (CharUnicodeInfo.GetUnicodeCategory(cp) != UnicodeCategory.NonSpacingMark)
            {
                if (cp <= 0xFFFF) sb.Append((char)cp); // includes a lone surrogate, kept as it came
                else sb.Append(char.ConvertFromUtf32(cp));
            }
        }
        return sb.ToString();
    }

    private static bool IsPlainAscii(string text)
    {
        foreach (char c in text) if (c > 0x7F) return false;
        return true;
    }

    /// <summary>Unicode's arithmetic Hangul decomposition: syllable → leading consonant, vowel, optional trailing consonant.</summary>
    private static void AppendHangul(StringBuilder sb, int s)
    {
        sb.Append((char)(LBase + s / (VCount * TCount)));
        sb.Append((char)(VBase + s % (VCount * TCount) / TCount));
        if (s % TCount != 0) sb.Append((char)(TBase + s % TCount));
    }

    private static Dictionary<int, string> ParseTable()
    {
        var map = new Dictionary<int, string>(2100);
        foreach (var entry in Table.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = entry.IndexOf(':');
            int key = int.Parse(entry.AsSpan(0, colon), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var value = new StringBuilder();
            foreach (var hex in entry[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                value.Append(char.ConvertFromUtf32(int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            map[key] = value.ToString();
        }
        return map;
    }
}
