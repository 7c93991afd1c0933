namespace BioNer.Data;

/// <summary>
/// One call for CLI verbs to read or write any supported corpus format, chosen explicitly or from the path:
/// <c>.conll .txt .tsv .iob .bio .iob2 .bioes</c> → CoNLL (a <c>.txt</c> with a sibling <c>.ann</c> → BRAT),
/// <c>.jsonl .json</c> → JSON Lines, a folder or <c>.ann</c> → BRAT.
/// </summary>
public static class CorpusIO
{
    private static readonly string[] ConllExtensions = [".conll", ".txt", ".tsv", ".iob", ".bio", ".iob2", ".bioes", ".conll03"];

    /// <summary>The format of <paramref name="path"/> by its kind and extension; <see cref="BioNerException"/> when unknown.</summary>
    public static CorpusFormat DetectFormat(string path)
    {
        if (Directory.Exists(path)) return CorpusFormat.Brat;
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext == ".ann") return CorpusFormat.Brat;
        if (ext == ".txt" && File.Exists(Path.ChangeExtension(path, ".ann"))) return CorpusFormat.Brat;
        if (ConllExtensions.Contains(ext)) return CorpusFormat.Conll;
        if (ext is ".jsonl" or ".json") return CorpusFormat.Jsonl;
        if (ext.Length == 0 || path.EndsWith('/') || path.EndsWith('\\')) return CorpusFormat.Brat;
        throw new BioNerException($"cannot tell the corpus format from the extension '{ext}'; name it (conll, jsonl, brat)", path);
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

    /// <summary>Writes a corpus; for BRAT <paramref name="path"/> is a folder (<see cref="WriteOptions.Scheme"/> does not apply).</summary>
    public static void Write(Corpus corpus, string path, CorpusFormat? format = null, WriteOptions? options = null)
    {
        switch (format ?? DetectFormat(path))
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
