namespace BioNer.Data;

/// <summary>
/// Reads CoNLL-style column files (CoNLL-2003, BC5CDR/NCBI-disease <c>.tsv</c>, CRAFT-IOB, conlleval input): one word
/// per line with whitespace-separated columns (tabs or spaces, any run), a blank line between sentences,
/// <c>-DOCSTART-</c> lines starting a document. Labels are converted to IOB2 (scheme detected unless given).
/// </summary>
public static class ConllReader
{
    /// <summary>The first field of a document-start line.</summary>
    public const string DocStart = "-DOCSTART-";

    /// <summary>Reads <paramref name="path"/> into a corpus (labels IOB2). Errors name file and line.</summary>
    public static Corpus Read(string path, ReadOptions? options = null) => ReadWithReport(path, options).Corpus;

    /// <summary>As <see cref="Read"/>, also returning the scheme read and repair counts.</summary>
    public static ReadResult ReadWithReport(string path, ReadOptions? options = null) =>
        Convert(TextLines.Read(path), path, options ?? ReadOptions.Default);

    /// <summary>Parses CoNLL text held in memory; <paramref name="source"/> names it in messages.</summary>
    public static ReadResult Parse(string text, string? source = null, ReadOptions? options = null) =>
        Convert(TextLines.Split(text), source, options ?? ReadOptions.Default);

    /// <summary>
    /// Reads a conlleval-style <c>word ... gold predicted</c> file into two corpora with the same words. The gold column
    /// is read per <paramref name="options"/> (strict unless lenient); the predicted column is always read leniently
    /// (model output may hold orphan <c>I-</c> tags, which conlleval treats as span starts) in the gold scheme.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="goldColumn">Column of the gold label (0-based, negative from the end; default second to last).</param>
    /// <param name="predictedColumn">Column of the predicted label (default last).</param>
    /// <param name="options">Scheme, token column, label map; <see cref="ReadOptions.LabelColumn"/> is ignored.</param>
    public static (Corpus Gold, Corpus Predicted) ReadGoldAndPredicted(
        string path, int goldColumn = -2, int predictedColumn = -1, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        var raw = ParseColumns(TextLines.Read(path), path, options.TokenColumn, [goldColumn, predictedColumn]);
        LabelConversion.Locate locate = (s, w) => (raw[s].FirstLine + w, $"word '{raw[s].Words[w]}'");
        var (gold, report) = LabelConversion.Convert(raw.Select(r => r.ToSentence(0)).ToList(), path, options, locate);
        var (pred, _) = LabelConversion.Convert(raw.Select(r => r.ToSentence(1)).ToList(), path,
            options with { Lenient = true }, locate, report.Scheme);
        return (new Corpus(gold, path), new Corpus(pred, path));
    }

    private static ReadResult Convert(IEnumerable<(int Line, string Text)> lines, string? source, ReadOptions options)
    {
        var raw = ParseColumns(lines, source, options.TokenColumn, [options.LabelColumn]);
        var (sentences, report) = LabelConversion.Convert(raw.Select(r => r.ToSentence(0)).ToList(), source, options,
            (s, w) => (raw[s].FirstLine + w, $"word '{raw[s].Words[w]}'"));
        return new ReadResult(new Corpus(sentences, source), report);
    }

    /// <summary>A sentence as read: words, one label list per requested column, where it starts.</summary>
    private sealed record RawSentence(List<string> Words, List<string>[] Labels, int FirstLine, string? DocumentId)
    {
        public Sentence ToSentence(int column) =>
            new(Words, Labels[column]) { DocumentId = DocumentId, SourceLine = FirstLine };
    }

    private static List<RawSentence> ParseColumns(
        IEnumerable<(int Line, string Text)> lines, string? source, int tokenColumn, int[] labelColumns)
    {
        var sentences = new List<RawSentence>();
        RawSentence? current = null;
        string? documentId = null;
        int documents = 0, columnCount = 0, columnLine = 0;
        int tokenIdx = 0;
        int[] labelIdx = [];
        foreach (var (line, text) in lines)
        {
            string[] fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || fields[0] == DocStart)
            {
                if (current is not null) sentences.Add(current);
                current = null;
                if (fields.Length > 0) documentId = DocumentIdOf(fields, ++documents);
                continue;
            }
            if (columnCount == 0)
            {
                (columnCount, columnLine) = (fields.Length, line);
                tokenIdx = Resolve(tokenColumn, fields.Length, "token", source, line);
                labelIdx = labelColumns.Select(c => Resolve(c, fields.Length, "label", source, line)).ToArray();
                if (labelIdx.Contains(tokenIdx))
                    throw new BioNerException($"the token column ({tokenIdx}) is also a label column; a line needs a word and a label", source, line);
            }
            else if (fields.Length != columnCount)
                throw new BioNerException(
                    $"line has {fields.Length} columns but the first word line (line {columnLine}) has {columnCount}", source, line);
            current ??= new RawSentence([], labelIdx.Select(_ => new List<string>()).ToArray(), line, documentId);
            current.Words.Add(fields[tokenIdx]);
            for (int c = 0; c < labelIdx.Length; c++) current.Labels[c].Add(fields[labelIdx[c]]);
        }
        if (current is not null) sentences.Add(current);
        return sentences;
    }

    private static int Resolve(int column, int count, string what, string? source, int line)
    {
        int idx = column < 0 ? count + column : column;
        if (idx < 0 || idx >= count)
            throw new BioNerException($"{what} column {column} does not exist: the line has {count} column(s)", source, line);
        return idx;
    }

    /// <summary>
    /// <c>-DOCSTART- pmid123</c> names its document; CoNLL-2003's <c>-DOCSTART- -X- -X- O</c> does not, so the
    /// document is numbered (<c>doc1</c>, <c>doc2</c>, ...).
    /// </summary>
    private static string DocumentIdOf(string[] fields, int number)
    {
        var named = fields.Skip(1).Where(f => f is not ("-X-" or "O")).ToList();
        return named.Count == 1 ? named[0] : $"doc{number}";
    }
}
