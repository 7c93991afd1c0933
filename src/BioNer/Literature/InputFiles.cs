using System.IO.Compression;
using System.Text;
using BioNer.Data;

namespace BioNer.Literature;

/// <summary>
/// Opening and recognising input files. Why sniffing and not only extensions: a PubMed baseline file is <c>.xml.gz</c>, a
/// BioC file is also <c>.xml</c>, and an unknown or binary file must be refused with its name rather than read as text
/// (a folder of gzip files once came out as PubTator "documents" of binary garbage with exit code 0).
/// </summary>
public static class InputFiles
{
    private const int SniffBytes = 8192;

    /// <summary>Parses a <c>--input-format</c> name.</summary>
    public static InputFormat Parse(string name, string field = "--input-format") => name.Trim().ToLowerInvariant() switch
    {
        "pubmed" or "medline" => InputFormat.PubMed,
        "bioc" or "bioc-xml" => InputFormat.BioCXml,
        "bioc-json" => InputFormat.BioCJson,
        "pubtator" => InputFormat.PubTator,
        "text" or "txt" => InputFormat.Text,
        "jsonl" => InputFormat.Jsonl,
        "jsonl-tokens" or "tokens" => InputFormat.JsonlTokens,
        "conll" => InputFormat.Conll,
        _ => throw new BioNerException($"{field}: unknown input format '{name}' (pubmed, bioc, bioc-json, pubtator, text, jsonl, jsonl-tokens, conll)"),
    };

    /// <summary>True when the format is read per word (pre-tokenized), not as running text.</summary>
    public static bool IsWordLevel(InputFormat format) => format is InputFormat.Conll or InputFormat.JsonlTokens;

    /// <summary>
    /// Opens <paramref name="path"/> for reading, transparently decompressing gzip (by its magic bytes, whatever the
    /// name). Decompression errors surface as <see cref="BioNerException"/> naming the file and compressed byte offset.
    /// </summary>
    public static Stream Open(string path)
    {
        FileStream file;
        try { file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16); }
        catch (FileNotFoundException) { throw new BioNerException("file not found", path); }
        catch (DirectoryNotFoundException) { throw new BioNerException("file not found", path); }
        var head = new byte[2];
        int n = file.Read(head, 0, 2);
        file.Position = 0;
        if (n == 2 && head[0] == 0x1F && head[1] == 0x8B) return new CheckedStream(new GZipStream(file, CompressionMode.Decompress), file, path);
        return file;
    }

    /// <summary>
    /// The format of <paramref name="path"/>: extension first (<c>.conll</c>, <c>.pubtator</c>, <c>.bioc.json</c>, ...),
    /// then the content (XML root element, JSON shape, PubTator lines). Binary content, or content none of the readers
    /// understands, is a <see cref="BioNerException"/> naming the file.
    /// </summary>
    public static InputFormat Detect(string path)
    {
        string name = Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".gz", StringComparison.Ordinal)) name = name[..^3];
        string ext = Path.GetExtension(name);
        string head = Sniff(path);
        string trimmed = head.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (CorpusIO.ConllExtensions.Contains(ext)) return InputFormat.Conll;
        if (ext is ".pubtator" || LooksLikePubTator(trimmed)) return InputFormat.PubTator;
        if (trimmed.StartsWith('<'))
        {
            string? root = XmlRoot(trimmed);
            return root switch
            {
                "PubmedArticleSet" or "PubmedArticle" or "MedlineCitationSet" => InputFormat.PubMed,
                "collection" => InputFormat.BioCXml,
                null => throw new BioNerException("XML without a root element in its first 8 KiB; give --input-format", path),
                _ => throw new BioNerException($"XML root element <{root}> is neither PubMed (<PubmedArticleSet>) nor BioC (<collection>)", path),
            };
        }
        if (trimmed.StartsWith('['))
            return InputFormat.BioCJson;
        if (trimmed.StartsWith('{') && ext is ".jsonl" or ".ndjson")
        {
            // One object per line, whatever its length: tokens (word level) or text; BioC documents per line also exist.
            string line = trimmed.Split('\n', 2)[0];
            if (line.Contains("\"passages\"", StringComparison.Ordinal)) return InputFormat.BioCJson;
            return line.Contains("\"tokens\"", StringComparison.Ordinal) && !line.Contains("\"text\"", StringComparison.Ordinal)
                ? InputFormat.JsonlTokens : InputFormat.Jsonl;
        }
        if (trimmed.StartsWith('{'))
        {
            string first = trimmed.Split('\n', 2)[0];
            bool objectPerLine = first.TrimEnd().EndsWith('}') && !first.Contains("\"documents\"", StringComparison.Ordinal)
                                 && !first.Contains("\"passages\"", StringComparison.Ordinal);
            if (!objectPerLine || ext == ".json") return InputFormat.BioCJson;
            return first.Contains("\"tokens\"", StringComparison.Ordinal) && !first.Contains("\"text\"", StringComparison.Ordinal)
                ? InputFormat.JsonlTokens : InputFormat.Jsonl;
        }
        if (ext is ".jsonl" or ".ndjson" or ".json" or ".xml")
            throw new BioNerException($"content does not match its {ext} extension; give --input-format", path);
        return InputFormat.Text;
    }

    // The first 8 KiB of text (decompressed when gzip), strictly UTF-8; binary content is refused here.
    private static string Sniff(string path)
    {
        using var stream = Open(path);
        var buffer = new byte[SniffBytes];
        int n = 0, r;
        while (n < buffer.Length && (r = stream.Read(buffer, n, buffer.Length - n)) > 0) n += r;
        int nul = Array.IndexOf(buffer, (byte)0, 0, n);
        if (nul >= 0)
            throw new BioNerException($"binary content (NUL byte at byte {nul + 1}); BioNer reads PubMed XML, BioC XML/JSON, PubTator, text, JSONL and CoNLL, plain or gzip-compressed", path);
        // A multi-byte letter may be cut at the end of the sample: drop up to 3 trailing bytes of an incomplete sequence.
        int end = n;
        if (n == buffer.Length)
            for (int back = 1; back <= 3 && back <= n; back++)
                if ((buffer[n - back] & 0xC0) == 0xC0) { end = n - back; break; }
                else if ((buffer[n - back] & 0x80) == 0) break;
        try { return new UTF8Encoding(false, true).GetString(buffer, 0, end); }
        catch (DecoderFallbackException e)
        {
            throw new BioNerException($"not UTF-8 text (invalid byte near byte {e.Index + 1}); BioNer reads UTF-8 text formats, plain or gzip-compressed", path);
        }
    }

    private static bool LooksLikePubTator(string head)
    {
        int bar = head.IndexOf('|');
        if (bar <= 0 || bar + 2 >= head.Length || head[bar + 2] != '|' || head[bar + 1] is not ('t' or 'a')) return false;
        return !head.AsSpan(0, bar).ContainsAny(" \t\n<{");
    }

    // The first element name after the XML declaration, DOCTYPE and comments.
    private static string? XmlRoot(string head)
    {
        int i = 0;
        while ((i = head.IndexOf('<', i)) >= 0 && i + 1 < head.Length)
        {
            char c = head[i + 1];
            if (c is '?' or '!') { i++; continue; }
            int end = i + 1;
            while (end < head.Length && !char.IsWhiteSpace(head[end]) && head[end] is not ('>' or '/')) end++;
            string name = head[(i + 1)..end];
            int colon = name.IndexOf(':');
            return colon >= 0 ? name[(colon + 1)..] : name;
        }
        return null;
    }

    /// <summary>Turns a corrupt gzip stream into a <see cref="BioNerException"/> with the compressed offset reached.</summary>
    private sealed class CheckedStream(Stream inner, FileStream file, string path) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            try { return inner.Read(buffer, offset, count); }
            catch (InvalidDataException e) { throw new BioNerException($"corrupt gzip data near compressed byte {file.Position}: {e.Message}", path, inner: e); }
        }

        public override int Read(Span<byte> buffer)
        {
            try { return inner.Read(buffer); }
            catch (InvalidDataException e) { throw new BioNerException($"corrupt gzip data near compressed byte {file.Position}: {e.Message}", path, inner: e); }
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => file.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
