namespace BioNer.Data;

/// <summary>
/// One call for CLI verbs to read or write any supported corpus format, chosen explicitly or from the path:
/// <c>.conll .conllu .tsv .iob .bio .iob2 .bioes .conll03</c> (<see cref="ConllExtensions"/>) → CoNLL, <c>.jsonl .json</c> → JSON Lines, a folder, <c>.ann</c>,
/// or a <c>.txt</c> with a sibling <c>.ann</c> → BRAT. Any other existing file (<c>.txt</c>, <c>.data</c>, no extension)
/// is read by its content (<see cref="DetectFormat"/>).
/// </summary>
public static class CorpusIO
{
    /// <summary>
    /// The extensions that name a CoNLL column file, for every reader that decides by name: corpora here, and
    /// <c>bioner predict</c> inputs (<see cref="Literature.InputFiles.Detect"/>), so a file is CoNLL to both or to neither.
    /// </summary>
    public static IReadOnlyList<string> ConllExtensions { get; } = [".conll", ".conllu", ".tsv", ".iob", ".bio", ".iob2", ".bioes", ".conll03"];
    private const int SniffBytes = 8192;
    private const string FormatHint = "give the file a .conll or .jsonl extension, or name the format (--format or --from: conll, jsonl, brat)";

    /// <summary>
    /// The format of <paramref name="path"/> for reading. The name decides when it can (folder, extension as above);
    /// any other existing file is sniffed from its first 8 KiB: a JSON object per line → JSONL, a token and a label
    /// column per line → CoNLL. Why sniff: corpora come as <c>train.txt</c>, <c>dev.data</c> or <c>test</c> (BC5CDR,
    /// NCBI-disease, CoNLL-2003 mirrors), and refusing them by name sent users to rename files. Content that is
    /// neither, mixes both, is empty, binary or compressed is a <see cref="BioNerException"/> naming the file and the
    /// line that decided it. A path that does not exist is judged by name only (<c>.txt</c> → CoNLL, no extension → BRAT).
    /// </summary>
    public static CorpusFormat DetectFormat(string path) =>
        ByName(path) ?? (File.Exists(path) ? Sniff(path) : ByNameForWriting(path));

    private static CorpusFormat? ByName(string path)
    {
        if (Directory.Exists(path)) return CorpusFormat.Brat;
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext == ".ann") return CorpusFormat.Brat;
        if (ext == ".txt" && File.Exists(Path.ChangeExtension(path, ".ann"))) return CorpusFormat.Brat;
        if (ConllExtensions.Contains(ext)) return CorpusFormat.Conll;
        if (ext is ".jsonl" or ".json") return CorpusFormat.Jsonl;
        return null;
    }

    // An output path has no content to sniff: .txt is CoNLL, a name without extension is a BRAT folder.
    private static CorpusFormat ByNameForWriting(string path)
    {
        if (ByName(path) is { } f) return f;
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext == ".txt") return CorpusFormat.Conll;
        if (ext.Length == 0 || path.EndsWith('/') || path.EndsWith('\\')) return CorpusFormat.Brat;
        throw new BioNerException($"cannot tell the corpus format from the extension '{ext}'; {FormatHint}", path);
    }

    private enum LineKind { Json, Columns, Neither }

    private static CorpusFormat Sniff(string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        string what = ext.Length == 0 ? "a file without extension" : $"a '{ext}' file";
        string hint = ext == ".txt" ? FormatHint + " (a BRAT document needs its .ann beside it)" : FormatHint;
        var (head, length, whole) = Head(path);
        if (length >= 2 && head[0] == 0x1F && head[1] == 0x8B)
            throw new BioNerException("gzip-compressed; corpus files are read uncompressed (gunzip it first)", path);
        if (Array.IndexOf(head, (byte)0, 0, length) is var nul and >= 0) throw TextLines.Binary($"byte {nul + 1}", path);
        // Complete lines only: the sample may end inside a line (kept, as a start of line, when it is the only one).
        int cut = whole ? length : Array.LastIndexOf(head, (byte)'\n', length - 1) + 1;
        bool partialOnly = !whole && cut == 0;
        if (partialOnly) cut = CharBoundary(head, length);
        (int Line, LineKind Kind, string Text)? first = null;
        foreach (var (line, text) in TextLines.Lines(head, cut, path))
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            var kind = Classify(text.Trim(), truncated: partialOnly);
            if (kind == LineKind.Neither)
                throw new BioNerException($"cannot tell the corpus format of {what}: this line is neither a JSON object (JSONL) nor a token " +
                                          $"and a label in columns (CoNLL): '{Preview(text)}'; {hint}", path, line);
            if (first is null) first = (line, kind, text);
            else if (kind != first.Value.Kind)
                throw new BioNerException($"cannot tell the corpus format of {what}: line {first.Value.Line} looks like {Name(first.Value.Kind)} " +
                                          $"but this line looks like {Name(kind)}: '{Preview(text)}'; {hint}", path, line);
        }
        return first?.Kind switch
        {
            LineKind.Json => CorpusFormat.Jsonl,
            LineKind.Columns => CorpusFormat.Conll,
            _ => throw new BioNerException($"cannot tell the corpus format of {what}: it is empty or blank; {hint}", path),
        };
    }

    private static LineKind Classify(string line, bool truncated)
    {
        if (line.StartsWith('{') && (truncated || line.EndsWith('}'))) return LineKind.Json;
        string[] fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields[0] == ConllReader.DocStart) return LineKind.Columns;
        return fields.Length >= 2 && Schemes.Parse(fields[^1]) is not null ? LineKind.Columns : LineKind.Neither;
    }

    private static string Name(LineKind kind) => kind == LineKind.Json ? "a JSON object (JSONL)" : "a token and a label in columns (CoNLL)";

    private static string Preview(string text) => text.Trim() is var t && t.Length > 60 ? t[..60] + "..." : t;

    private static (byte[] Head, int Length, bool Whole) Head(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var buffer = new byte[SniffBytes];
        int n = 0, r;
        while (n < buffer.Length && (r = stream.Read(buffer, n, buffer.Length - n)) > 0) n += r;
        return (buffer, n, n < buffer.Length || stream.Position == stream.Length);
    }

    // Drops the bytes of a multi-byte UTF-8 character cut at the end of the sample.
    private static int CharBoundary(byte[] head, int length)
    {
        for (int back = 1; back <= 3 && back <= length; back++)
            if ((head[length - back] & 0xC0) == 0xC0) return length - back;
            else if ((head[length - back] & 0x80) == 0) break;
        return length;
    }

    /// <summary>Reads a corpus (labels IOB2 unless <see cref="ReadOptions.RawLabels"/>).</summary>
    public static Corpus Read(string path, CorpusFormat? format = null, ReadOptions? options = null) =>
        ReadWithReport(path, format, options).Corpus;

    /// <summary>As <see cref="Read"/>, also returning what the reader did (scheme detected, BRAT policy counts).</summary>
    public static ReadResult ReadWithReport(string path, CorpusFormat? format = null, ReadOptions? options = null)
    {
        var f = format ?? DetectFormat(path);
        if (f != CorpusFormat.Brat && Directory.Exists(path))
            throw new BioNerException($"is a folder; {f} needs a file", path);
        return f switch
        {
            CorpusFormat.Conll => ConllReader.ReadWithReport(path, options),
            CorpusFormat.Jsonl => JsonlReader.ReadWithReport(path, options),
            _ => BratReader.ReadWithReport(path, options),
        };
    }

    /// <summary>
    /// Writes a corpus; for BRAT <paramref name="path"/> is a folder (<see cref="WriteOptions.Scheme"/> does not apply).
    /// The format comes from the name only: an existing file at <paramref name="path"/> is overwritten, not sniffed.
    /// </summary>
    public static void Write(Corpus corpus, string path, CorpusFormat? format = null, WriteOptions? options = null)
    {
        switch (format ?? ByNameForWriting(path))
        {
            case CorpusFormat.Conll: ConllWriter.Write(corpus, path, options); break;
            case CorpusFormat.Jsonl: JsonlWriter.Write(corpus, path, options); break;
            default: BratWriter.Write(corpus, path); break;
        }
    }

    /// <summary>Parses a format name as the CLI spells it (<c>conll</c>, <c>jsonl</c>/<c>json</c>, <c>brat</c>), case-insensitively.</summary>
    public static CorpusFormat ParseFormat(string name, string field = "--format") => name.Trim().ToLowerInvariant() switch
    {
        "conll" or "iob" or "tsv" => CorpusFormat.Conll,
        "jsonl" or "json" => CorpusFormat.Jsonl,
        "brat" => CorpusFormat.Brat,
        _ => throw new BioNerException($"{field}: unknown format '{name}' (conll, jsonl, brat)"),
    };

    /// <summary>Parses a tagging-scheme name (<c>IOB1</c>, <c>IOB2</c>/<c>BIO</c>, <c>IOE1</c>, <c>IOE2</c>, <c>IOBES</c>, <c>BILOU</c>), case-insensitively.</summary>
    public static TaggingScheme ParseScheme(string name, string field = "--scheme") => name.Trim().ToUpperInvariant() switch
    {
        "BIO" => TaggingScheme.IOB2,
        "BIOES" => TaggingScheme.IOBES,
        var n when n.Length > 0 && char.IsLetter(n[0]) && Enum.TryParse<TaggingScheme>(n, out var s) => s,
        _ => throw new BioNerException($"{field}: unknown scheme '{name}' (IOB1, IOB2, IOE1, IOE2, IOBES, BILOU)"),
    };
}
