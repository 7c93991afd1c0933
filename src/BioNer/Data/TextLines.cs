using System.Text;

namespace BioNer.Data;

/// <summary>
/// Reads a text file line by line the way every corpus reader wants it: strict UTF-8 (an invalid byte is a
/// <see cref="BioNerException"/> naming file and line, not a silent U+FFFD), a NUL byte refused as binary content, a
/// leading BOM dropped, CRLF or LF endings.
/// </summary>
internal static class TextLines
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The lines of <paramref name="path"/> with their 1-based numbers.</summary>
    public static IEnumerable<(int Line, string Text)> Read(string path)
    {
        if (!File.Exists(path)) throw new BioNerException("file not found", path);
        return Lines(File.ReadAllBytes(path), bytes: null, path);
    }

    /// <summary>
    /// The lines of the first <paramref name="bytes"/> bytes of <paramref name="data"/> (all when null), decoded as
    /// <see cref="Read"/> does; <paramref name="path"/> names the file in messages.
    /// </summary>
    internal static IEnumerable<(int Line, string Text)> Lines(byte[] data, int? bytes, string path)
    {
        int length = bytes ?? data.Length;
        int pos = length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF ? 3 : 0;
        int line = 0;
        while (pos < length)
        {
            int nl = Array.IndexOf(data, (byte)'\n', pos, length - pos);
            int end = nl < 0 ? length : nl;
            int len = end - pos;
            if (len > 0 && data[end - 1] == '\r') len--;
            line++;
            yield return (line, Decode(data, pos, len, path, line));
            pos = end + 1;
        }
    }

    /// <summary>The whole file as a string, strictly decoded (BOM dropped; line endings kept, since offsets index them).</summary>
    public static string ReadAllText(string path)
    {
        if (!File.Exists(path)) throw new BioNerException("file not found", path);
        byte[] bytes = File.ReadAllBytes(path);
        int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        if (Array.IndexOf(bytes, (byte)0, start) >= 0) foreach (var _ in Read(path)) { }   // names the line of the NUL byte
        try
        {
            return Strict.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException)
        {
            // Find the line for the message.
            foreach (var _ in Read(path)) { }
            throw;
        }
    }

    /// <summary>The lines of an in-memory text (for tests and stdin), numbered from 1; a leading BOM is dropped.</summary>
    public static IEnumerable<(int Line, string Text)> Split(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        string[] lines = text.Split('\n');
        int count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        for (int i = 0; i < count; i++) yield return (i + 1, lines[i].TrimEnd('\r'));
    }

    /// <summary>The error for binary content: a NUL byte at <paramref name="where"/>.</summary>
    internal static BioNerException Binary(string where, string path, int? line = null) =>
        new($"binary content (NUL byte at {where}), not a text corpus; BioNer reads CoNLL, JSONL and BRAT as UTF-8 text", path, line);

    private static string Decode(byte[] bytes, int start, int length, string path, int line)
    {
        // NUL is valid UTF-8 but never text: an image, archive or model file named like a corpus stops here.
        int nul = bytes.AsSpan(start, length).IndexOf((byte)0);
        if (nul >= 0) throw Binary($"byte {nul + 1} of the line", path, line);
        try
        {
            return Strict.GetString(bytes, start, length);
        }
        catch (DecoderFallbackException e)
        {
            string bad = e.BytesUnknown is { Length: > 0 } b ? $" (byte 0x{b[0]:X2} at byte {e.Index + 1} of the line)" : "";
            throw new BioNerException($"not valid UTF-8{bad}; save the file as UTF-8", path, line, e);
        }
    }
}
