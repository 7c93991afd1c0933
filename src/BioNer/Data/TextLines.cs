using System.Text;

namespace BioNer.Data;

/// <summary>
/// Reads a text file line by line the way every corpus reader wants it: strict UTF-8 (an invalid byte is a
/// <see cref="BioNerException"/> naming file and line, not a silent U+FFFD), a leading BOM dropped, CRLF or LF endings.
/// </summary>
internal static class TextLines
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The lines of <paramref name="path"/> with their 1-based numbers.</summary>
    public static IEnumerable<(int Line, string Text)> Read(string path)
    {
        if (!File.Exists(path)) throw new BioNerException("file not found", path);
        byte[] bytes = File.ReadAllBytes(path);
        int pos = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        int line = 0;
        while (pos < bytes.Length)
        {
            int nl = Array.IndexOf(bytes, (byte)'\n', pos);
            int end = nl < 0 ? bytes.Length : nl;
            int len = end - pos;
            if (len > 0 && bytes[end - 1] == '\r') len--;
            line++;
            yield return (line, Decode(bytes, pos, len, path, line));
            pos = end + 1;
        }
    }

    /// <summary>The whole file as a string, strictly decoded (BOM dropped; line endings kept, since offsets index them).</summary>
    public static string ReadAllText(string path)
    {
        if (!File.Exists(path)) throw new BioNerException("file not found", path);
        byte[] bytes = File.ReadAllBytes(path);
        int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
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

    private static string Decode(byte[] bytes, int start, int length, string path, int line)
    {
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
