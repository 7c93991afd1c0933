using System.Text;

namespace BioNer.Literature;

/// <summary>
/// What a character offset counts. BioC's DTD says byte offsets; NCBI's tools (PubTator3, the <c>bioc</c> Python
/// package) write Python string indices, i.e. Unicode code points; .NET and JavaScript strings index UTF-16 code units.
/// The three agree on ASCII text and differ on Greek letters (bytes) and on characters outside the BMP (code points vs
/// UTF-16), so a run says which one its files use (<c>--offsets</c>).
/// </summary>
public enum OffsetUnit
{
    /// <summary>Unicode code points (Python <c>str</c> indices): what PubTator3 and NCBI's BioC files use. The default.</summary>
    CodePoints,
    /// <summary>UTF-16 code units (.NET, Java, JavaScript string indices).</summary>
    Utf16,
    /// <summary>UTF-8 bytes, as the BioC DTD words it.</summary>
    Bytes,
}

/// <summary>Conversions between UTF-16 indices (how BioNer holds text) and the offset units of literature files.</summary>
public static class Offsets
{
    /// <summary>Parses <c>codepoints</c> | <c>utf16</c> | <c>bytes</c> (case-insensitive); an unknown name names <paramref name="field"/>.</summary>
    public static OffsetUnit Parse(string name, string field = "--offsets") => name.Trim().ToLowerInvariant() switch
    {
        "codepoints" or "code-points" or "chars" or "characters" => OffsetUnit.CodePoints,
        "utf16" or "utf-16" => OffsetUnit.Utf16,
        "bytes" or "utf8" or "utf-8" => OffsetUnit.Bytes,
        _ => throw new BioNerException($"{field}: unknown offset unit '{name}' (codepoints, utf16, bytes)"),
    };

    /// <summary>The length of <paramref name="text"/> in <paramref name="unit"/>.</summary>
    public static int Length(ReadOnlySpan<char> text, OffsetUnit unit) => unit switch
    {
        OffsetUnit.Utf16 => text.Length,
        OffsetUnit.Bytes => Encoding.UTF8.GetByteCount(text),
        _ => text.Length - CountLowSurrogates(text),
    };

    /// <summary>
    /// The UTF-16 index in <paramref name="text"/> that lies <paramref name="units"/> units from its start, or -1 when that
    /// is past the end or inside a character (a byte offset into the middle of a multi-byte letter).
    /// </summary>
    public static int ToUtf16(string text, int units, OffsetUnit unit)
    {
        if (units < 0) return -1;
        if (unit == OffsetUnit.Utf16) return units <= text.Length ? units : -1;
        int count = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (count == units) return i;
            if (count > units || i == text.Length) return -1;
            bool pair = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            count += unit == OffsetUnit.Bytes ? Encoding.UTF8.GetByteCount(text.AsSpan(i, pair ? 2 : 1)) : 1;
            if (pair) i++;
        }
        return -1;
    }

    private static int CountLowSurrogates(ReadOnlySpan<char> text)
    {
        int n = 0;
        for (int i = 1; i < text.Length; i++)
            if (char.IsLowSurrogate(text[i]) && char.IsHighSurrogate(text[i - 1])) n++;
        return n;
    }
}
