using System.Text;
using System.Text.Json;

namespace BioNer.Literature;

/// <summary>
/// One open input file, or a text given in memory (an argument, standard input), as a lazy sequence of documents,
/// whatever its format: the single door through which <c>bioner predict</c> reads running text. Dispose closes the file.
/// </summary>
public sealed class DocumentReader : IDisposable
{
    private readonly Stream _stream;
    private readonly List<string> _deleted = [];

    private DocumentReader(Stream stream, string path, InputFormat format)
    {
        _stream = stream;
        Path = path;
        Format = format;
    }

    /// <summary>The file read (the document id for a text given in memory).</summary>
    public string Path { get; }

    /// <summary>Its format.</summary>
    public InputFormat Format { get; }

    /// <summary>The collection header (BioC input), or BioNer's own header for other inputs.</summary>
    public BioCHeader Header { get; private set; } = BioCHeader.For("BioNer", DateTime.UtcNow);

    /// <summary>The documents, read as they are enumerated (once).</summary>
    public IEnumerable<Document> Documents { get; private set; } = [];

    /// <summary>PMIDs of <c>DeleteCitation</c> entries met so far (PubMed update files).</summary>
    public IReadOnlyList<string> Deleted => _deleted;

    /// <summary>Bytes of the file read so far (compressed bytes for gzip), for progress.</summary>
    public long Position
    {
        get
        {
            try { return _stream.Position; }
            catch (NotSupportedException) { return 0; }
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/> as <paramref name="format"/> (null: <see cref="InputFiles.Detect"/>); offsets of
    /// generated passages and of kept annotations are in <paramref name="unit"/>. Word-level formats are not documents.
    /// </summary>
    public static DocumentReader Open(string path, InputFormat? format, OffsetUnit unit)
    {
        var f = format ?? InputFiles.Detect(path);
        if (InputFiles.IsWordLevel(f)) throw new ArgumentException($"{f} is read per word, not as documents", nameof(format));
        var stream = InputFiles.Open(path);
        var reader = new DocumentReader(stream, path, f) { Header = BioCHeader.For("BioNer", File.GetLastWriteTimeUtc(path)) };
        try
        {
            switch (f)
            {
                case InputFormat.PubMed:
                    reader.Header = BioCHeader.For("PubMed", File.GetLastWriteTimeUtc(path));
                    reader.Documents = PubMedXmlReader.Read(stream, path, unit, reader._deleted.Add);
                    break;
                case InputFormat.BioCXml:
                    (reader.Header, reader.Documents) = BioCXml.Read(stream, path, unit);
                    break;
                case InputFormat.BioCJson:
                    (reader.Header, reader.Documents) = BioCJson.Read(stream, path, unit);
                    break;
                case InputFormat.PubTator:
                    reader.Header = BioCHeader.For("PubTator", File.GetLastWriteTimeUtc(path));
                    reader.Documents = PubTator.Read(stream, path, unit);
                    break;
                case InputFormat.Jsonl:
                    reader.Documents = Jsonl(stream, path, unit);
                    break;
                default:
                    reader.Documents = Text(stream, path);
                    break;
            }
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A text given in memory (<c>bioner predict TEXT</c>, or standard input read to its end) as one document
    /// <paramref name="id"/> with one passage, as a plain-text file is read.
    /// </summary>
    public static DocumentReader FromText(string text, string id) =>
        new(Stream.Null, id, InputFormat.Text) { Documents = [TextDocument(id, text)] };

    /// <summary>Closes the file.</summary>
    public void Dispose() => _stream.Dispose();

    private static IEnumerable<Document> Text(Stream stream, string path)
    {
        string text;
        using (var r = new StreamReader(stream, new UTF8Encoding(false, true), true, leaveOpen: true))
        {
            try { text = r.ReadToEnd(); }
            catch (DecoderFallbackException) { throw new BioNerException("not valid UTF-8; save the file as UTF-8", path); }
        }
        yield return TextDocument(FileStem(path), text);
    }

    private static Document TextDocument(string id, string text) =>
        new(id, [new Passage(0, text, new Dictionary<string, string> { ["type"] = "text" })]);

    private static IEnumerable<Document> Jsonl(Stream stream, string path, OffsetUnit unit)
    {
        using var r = new StreamReader(stream, new UTF8Encoding(false, true), true, leaveOpen: true);
        string stem = FileStem(path);
        int line = 0, count = 0;
        while (true)
        {
            string? raw;
            try { raw = r.ReadLine(); }
            catch (DecoderFallbackException) { throw new BioNerException("not valid UTF-8", path, line + 1); }
            if (raw is null) yield break;
            line++;
            if (string.IsNullOrWhiteSpace(raw)) continue;
            JsonElement o;
            try { o = JsonDocument.Parse(raw).RootElement; }
            catch (JsonException e) { throw new BioNerException($"not JSON: {e.Message}", path, line); }
            if (o.ValueKind != JsonValueKind.Object) throw new BioNerException($"expected a JSON object, got {o.ValueKind}", path, line);
            count++;
            string id = o.TryGetProperty("id", out var i) ? i.ToString() : $"{stem}-{count}";
            var parts = new List<(string, IReadOnlyDictionary<string, string>)>();
            if (o.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                parts.Add((t.GetString()!, new Dictionary<string, string> { ["type"] = "text" }));
            else if (o.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String)
            {
                parts.Add((title.GetString()!, new Dictionary<string, string> { ["type"] = "title" }));
                if (o.TryGetProperty("abstract", out var a) && a.ValueKind == JsonValueKind.String)
                    parts.Add((a.GetString()!, new Dictionary<string, string> { ["type"] = "abstract" }));
            }
            else throw new BioNerException("field \"text\" (string) or \"title\" (and \"abstract\") missing; pre-tokenized \"tokens\" lines are read per word (--input-format jsonl-tokens)", path, line);
            yield return new Document(id, Document.Consecutive(parts, unit)) { SourceLine = line };
        }
    }

    /// <summary>A file's name without its extensions (<c>pubmed25n0001.xml.gz</c> → <c>pubmed25n0001</c>).</summary>
    public static string FileStem(string path)
    {
        string name = System.IO.Path.GetFileName(path);
        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) name = name[..^3];
        return System.IO.Path.GetFileNameWithoutExtension(name);
    }
}
