namespace BioNer.Data;

/// <summary>
/// Reads BRAT standoff corpora: a <c>.txt</c> document and its <c>.ann</c> annotations. Only text-bound annotations
/// (<c>T1&lt;TAB&gt;Type start end&lt;TAB&gt;text</c>) become labels; relations, events, attributes, normalizations
/// and notes are ignored. BRAT offsets count Unicode code points; they are converted to .NET string indices.
/// <para>Turning character spans into word labels follows documented policies, each counted in <see cref="ReadReport"/>:</para>
/// <list type="number">
/// <item>Discontinuous spans (<c>0 5;10 15</c>) are dropped by default, or widened to first..last extent
/// (<see cref="ReadOptions.Discontinuous"/>).</item>
/// <item>The label map is applied first, so a dropped type never hides another span.</item>
/// <item>Overlapping or nested spans: the longest is kept, the earlier start wins ties; the others are dropped.</item>
/// <item>Text is cut into sentences with <see cref="SentenceSplitter"/>; a sentence break inside a kept span is removed.</item>
/// <item>Words come from <see cref="WordTokenizer"/>, additionally split at span boundaries, so every span covers
/// whole words; a word gets the label of the span it lies in.</item>
/// </list>
/// </summary>
public static class BratReader
{
    private sealed class Counts
    {
        public int Spans, Discontinuous, DroppedByMap, Overlaps, Splits, Merged, Empty;
    }

    /// <summary>
    /// Reads a folder of <c>.ann</c> files (each with its <c>.txt</c>), or a single <c>.ann</c> or <c>.txt</c> file.
    /// Documents are read in ordinal file-name order; the document id is the file name without extension.
    /// </summary>
    public static Corpus Read(string path, ReadOptions? options = null) => ReadWithReport(path, options).Corpus;

    /// <summary>As <see cref="Read"/>, also returning the policy counts.</summary>
    public static ReadResult ReadWithReport(string path, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        var counts = new Counts();
        var sentences = new List<Sentence>();
        foreach (string ann in AnnotationFiles(path))
        {
            string txt = Path.ChangeExtension(ann, ".txt");
            if (!File.Exists(txt)) throw new BioNerException("annotation file has no matching .txt document", ann);
            string text = TextLines.ReadAllText(txt);
            var lines = File.Exists(ann) ? TextLines.Read(ann) : [];
            sentences.AddRange(Document(text, lines, Path.GetFileNameWithoutExtension(ann), ann, options, counts));
        }
        return new ReadResult(new Corpus(sentences, path), Report(counts));
    }

    /// <summary>Reads one document held in memory (<paramref name="ann"/> is the <c>.ann</c> content).</summary>
    public static ReadResult Parse(string text, string ann, string documentId, ReadOptions? options = null)
    {
        var counts = new Counts();
        var sentences = Document(text, TextLines.Split(ann), documentId, $"{documentId}.ann",
            options ?? ReadOptions.Default, counts);
        return new ReadResult(new Corpus(sentences, documentId), Report(counts));
    }

    private static ReadReport Report(Counts c) => new()
    {
        Spans = c.Spans, Discontinuous = c.Discontinuous, DroppedByLabelMap = c.DroppedByMap, OverlapsDropped = c.Overlaps,
        BoundarySplits = c.Splits, SentenceBreaksMerged = c.Merged, EmptySpans = c.Empty,
    };

    private static IEnumerable<string> AnnotationFiles(string path)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.GetFiles(path, "*.ann").Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0) throw new BioNerException("folder holds no .ann files (BRAT standoff expected)", path);
            return files;
        }
        if (path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)) return [Path.ChangeExtension(path, ".ann")];
        if (!File.Exists(path)) throw new BioNerException("file or folder not found", path);
        return [path];
    }

    private static List<Sentence> Document(string text, IEnumerable<(int Line, string Text)> annLines, string docId,
        string annPath, ReadOptions options, Counts counts)
    {
        var utf16 = CodePointIndex(text);
        var spans = new List<LabelledSpan>();
        foreach (var (line, content) in annLines)
            if (ParseLine(content, text, utf16, annPath, line, options, counts) is { } span) spans.Add(span);
        var kept = RemoveOverlaps(spans, counts);
        var sentenceSpans = MergeBreaksInsideSpans(SentenceSplitter.Split(text, options.NewlineEndsSentence), kept, counts);
        var tokens = WordTokenizer.SplitAt(WordTokenizer.Tokenize(text), kept.SelectMany(s => new[] { s.Start, s.End }), out int splits);
        counts.Splits += splits;
        return Label(text, tokens, sentenceSpans, kept, docId, counts);
    }

    /// <summary>Maps code-point offsets (BRAT) to UTF-16 indices: entry k is the string index of code point k.</summary>
    internal static int[] CodePointIndex(string text)
    {
        var map = new List<int>(text.Length + 1);
        for (int i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1) map.Add(i);
        map.Add(text.Length);
        return map.ToArray();
    }

    private static LabelledSpan? ParseLine(string line, string text, int[] utf16, string file, int lineNo, ReadOptions o, Counts counts)
    {
        if (line.Trim().Length == 0) return null;
        if (line[0] is 'R' or 'E' or 'A' or 'M' or 'N' or '#' or '*') return null;
        if (line[0] != 'T') throw new BioNerException($"unknown annotation '{line.Split('\t')[0]}' (expected T, R, E, A, M, N, # or *)", file, lineNo);
        string[] fields = line.Split('\t');
        if (fields.Length < 2) throw new BioNerException("text-bound annotation needs 'ID<TAB>Type start end<TAB>text'", file, lineNo);
        int space = fields[1].IndexOf(' ');
        if (space <= 0) throw new BioNerException($"{fields[0]}: expected 'Type start end', got '{fields[1]}'", file, lineNo);
        string type = fields[1][..space];
        var fragments = new List<(int Start, int End)>();
        foreach (string frag in fields[1][(space + 1)..].Split(';'))
        {
            string[] se = frag.Trim().Split(' ');
            if (se.Length != 2 || !int.TryParse(se[0], out int s) || !int.TryParse(se[1], out int e) || s < 0 || e < s || e >= utf16.Length)
                throw new BioNerException($"{fields[0]}: offsets '{frag}' are not 'start end' within the {utf16.Length - 1}-character text", file, lineNo);
            fragments.Add((utf16[s], utf16[e]));
        }
        counts.Spans++;
        if (fields.Length > 2 && !o.Lenient) CheckText(fields[0], fields[2], fragments, text, file, lineNo);
        if (fragments.Count > 1)
        {
            counts.Discontinuous++;
            if (o.Discontinuous == DiscontinuousPolicy.Drop) return null;
        }
        string? mapped = o.LabelMap is null ? type : o.LabelMap.MapType(type);
        if (mapped is null) { counts.DroppedByMap++; return null; }
        return o.Discontinuous == DiscontinuousPolicy.FirstSpan
            ? new LabelledSpan(mapped, fragments[0].Start, fragments[0].End)
            : new LabelledSpan(mapped, fragments.Min(f => f.Start), fragments.Max(f => f.End));
    }

    /// <summary>The annotation's text must match the document at its offsets (whitespace runs compared as one space).</summary>
    private static void CheckText(string id, string expected, List<(int Start, int End)> fragments, string text, string file, int line)
    {
        string actual = string.Join(" ", fragments.Select(f => text[f.Start..f.End]));
        static string Norm(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (Norm(actual) != Norm(expected))
            throw new BioNerException($"{id}: text '{expected}' does not match the document text '{actual}' at its offsets " +
                "(BRAT offsets count Unicode code points; read leniently to skip this check)", file, line);
    }

    private static List<LabelledSpan> RemoveOverlaps(List<LabelledSpan> spans, Counts counts)
    {
        var kept = new List<LabelledSpan>();
        foreach (var span in spans.OrderByDescending(s => s.End - s.Start).ThenBy(s => s.Start))
        {
            if (kept.Any(k => k.Start < span.End && span.Start < k.End)) counts.Overlaps++;
            else kept.Add(span);
        }
        kept.Sort((a, b) => a.Start.CompareTo(b.Start));
        return kept;
    }

    private static List<(int Start, int End)> MergeBreaksInsideSpans(IReadOnlyList<(int Start, int End)> sentences, List<LabelledSpan> spans, Counts counts)
    {
        var merged = new List<(int Start, int End)>();
        foreach (var s in sentences)
        {
            if (merged.Count > 0 && spans.Any(sp => sp.Start < merged[^1].End && sp.End > s.Start))
            {
                merged[^1] = (merged[^1].Start, s.End);
                counts.Merged++;
            }
            else merged.Add(s);
        }
        return merged;
    }

    private static List<Sentence> Label(string text, IReadOnlyList<(int Start, int End)> tokens,
        List<(int Start, int End)> sentences, List<LabelledSpan> spans, string docId, Counts counts)
    {
        var labels = new string[tokens.Count];
        var covered = new bool[spans.Count];
        for (int t = 0, k = 0; t < tokens.Count; t++)
        {
            while (k < spans.Count && spans[k].End <= tokens[t].Start) k++;
            bool inside = k < spans.Count && spans[k].Start < tokens[t].End;
            labels[t] = !inside ? Schemes.Outside : covered[k] ? Iob2.Inside(spans[k].Type) : Iob2.Begin(spans[k].Type);
            if (inside) covered[k] = true;
        }
        counts.Empty += covered.Count(c => !c);
        var result = new List<Sentence>();
        int tok = 0;
        foreach (var (start, end) in sentences)
        {
            int first = tok;
            while (tok < tokens.Count && tokens[tok].End <= end) tok++;
            if (tok == first) continue;
            var offsets = tokens.Skip(first).Take(tok - first).ToList();
            result.Add(new Sentence(offsets.Select(o => text[o.Start..o.End]).ToList(), labels[first..tok])
            {
                Offsets = offsets,
                DocumentId = docId,
                SourceLine = 1 + text.AsSpan(0, offsets[0].Start).Count('\n'),
            });
        }
        return result;
    }
}
