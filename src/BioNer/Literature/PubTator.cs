using System.Globalization;
using System.Text;

namespace BioNer.Literature;

/// <summary>
/// The PubTator format: per document a title line <c>ID|t|text</c>, an abstract line <c>ID|a|text</c>, then one line
/// per mention <c>ID\tstart\tend\ttext\ttype[\tconcept...]</c> (document-level offsets: the abstract starts one unit
/// after the title), documents separated by blank lines. Mentions already in the input are kept and written back with
/// their extra columns; other lines (relations) are kept too.
/// </summary>
public static class PubTator
{
    /// <summary>Reads documents one block at a time.</summary>
    /// <exception cref="BioNerException">A malformed line, with the file and line number.</exception>
    public static IEnumerable<Document> Read(Stream stream, string source, OffsetUnit unit)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var block = new List<(int Line, string Text)>();
        int lineNo = 0;
        while (true)
        {
            string? line;
            try { line = reader.ReadLine(); }
            catch (DecoderFallbackException) { throw new BioNerException("not valid UTF-8", source, lineNo + 1); }
            if (line is not null) lineNo++;
            if (line is null || line.Trim().Length == 0)
            {
                if (block.Count > 0) yield return Parse(block, source, unit);
                block.Clear();
                if (line is null) yield break;
                continue;
            }
            block.Add((lineNo, line));
        }
    }

    private static Document Parse(List<(int Line, string Text)> block, string source, OffsetUnit unit)
    {
        string? id = null, title = null, @abstract = null;
        var mentions = new List<(int Line, string[] Cols)>();
        var extra = new List<string>();
        foreach (var (line, text) in block)
        {
            int bar = text.IndexOf('|');
            int tab = text.IndexOf('\t');
            if (bar > 0 && (tab < 0 || bar < tab) && text.Length >= bar + 3 && text[bar + 2] == '|' && text[bar + 1] is 't' or 'a')
            {
                string docId = text[..bar];
                Check(ref id, docId, source, line);
                if (text[bar + 1] == 't') title = text[(bar + 3)..];
                else @abstract = text[(bar + 3)..];
                continue;
            }
            var cols = text.Split('\t');
            if (cols.Length < 2) throw new BioNerException("expected 'ID|t|title', 'ID|a|abstract' or a tab-separated mention line", source, line);
            Check(ref id, cols[0], source, line);
            if (cols.Length >= 5 && IsInt(cols[1]) && IsInt(cols[2])) mentions.Add((line, cols));
            else extra.Add(text);
        }
        var parts = new List<(string, IReadOnlyDictionary<string, string>)> { (title ?? "", new Dictionary<string, string> { ["type"] = "title" }) };
        if (@abstract is not null) parts.Add((@abstract, new Dictionary<string, string> { ["type"] = "abstract" }));
        var passages = Document.Consecutive(parts, unit).ToList();
        var kept = passages.Select(_ => new List<Mention>()).ToList();
        foreach (var (line, c) in mentions)
        {
            int start = int.Parse(c[1], CultureInfo.InvariantCulture), end = int.Parse(c[2], CultureInfo.InvariantCulture);
            int p = passages.Count - 1;
            while (p > 0 && start < passages[p].Offset) p--;
            var passage = passages[p];
            int s = Offsets.ToUtf16(passage.Text, start - passage.Offset, unit), e = Offsets.ToUtf16(passage.Text, end - passage.Offset, unit);
            if (s < 0 || e < s) throw new BioNerException($"mention {start}-{end} lies outside the title and abstract", source, line);
            var infons = new Dictionary<string, string>();
            for (int k = 5; k < c.Length; k++) infons[$"column{k + 1}"] = c[k];
            kept[p].Add(new Mention(c[4], s, e, c[3]) { Infons = infons });
        }
        return new Document(id!, passages.Select((x, i) => x with { Existing = kept[i] }).ToList())
        {
            ExtraLines = extra, SourceLine = block[0].Line,
        };
    }

    private static void Check(ref string? id, string found, string source, int line)
    {
        if (id is null) id = found;
        else if (id != found) throw new BioNerException($"document id '{found}' inside the block of '{id}' (a blank line must separate documents)", source, line);
    }

    private static bool IsInt(string s) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    /// <summary>
    /// Writes PubTator: title = the first passage, abstract = the others joined by single spaces (their offsets are
    /// recomputed in that layout, which equals the input's for PubMed and PubTator documents); tabs and line breaks
    /// inside text become spaces so offsets keep their meaning.
    /// </summary>
    public sealed class Writer(TextWriter output, OffsetUnit unit) : IDocumentWriter
    {
        private bool _first = true;

        /// <inheritdoc />
        public void Write(Document d)
        {
            if (!_first) output.Write('\n');
            _first = false;
            string id = Flat(d.Id);
            var passages = d.Passages.Count > 0 ? d.Passages : [new Passage(0, "", Mention.EmptyInfons)];
            output.Write(id); output.Write("|t|"); output.Write(Flat(passages[0].Text)); output.Write('\n');
            output.Write(id); output.Write("|a|"); output.Write(string.Join(" ", passages.Skip(1).Select(p => Flat(p.Text)))); output.Write('\n');
            // The document as PubTator lays it out (passages joined by one space); a mention may run on past its passage
            // (an entity of raw text across the title's line break), but not past the document.
            string full = string.Join(" ", passages.Select(p => Flat(p.Text)));
            var lines = new List<(int Start, int End, int Order, string Line)>();
            int at = 0, offset = 0, order = 0;
            foreach (var p in passages)
            {
                foreach (var m in p.Existing.Concat(p.Predicted))
                {
                    if (m.Start < 0 || m.End < m.Start || m.Start > p.Text.Length || at + m.End > full.Length) continue;   // a BioC location outside its unit
                    int s = offset + Offsets.Length(p.Text.AsSpan(0, m.Start), unit);
                    string covered = full[(at + m.Start)..(at + m.End)];
                    int e = s + Offsets.Length(covered, unit);
                    var sb = new StringBuilder().Append(id).Append('\t').Append(s.ToString(CultureInfo.InvariantCulture)).Append('\t')
                        .Append(e.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(covered).Append('\t').Append(Flat(m.Type));
                    foreach (var (k, v) in m.Infons)
                        if (k.StartsWith("column", StringComparison.Ordinal) || k is "identifier" or "Identifier") sb.Append('\t').Append(Flat(v));
                    lines.Add((s, e, order++, sb.ToString()));
                }
                offset += Offsets.Length(p.Text, unit) + 1;
                at += p.Text.Length + 1;
            }
            foreach (var l in lines.OrderBy(l => l.Start).ThenBy(l => l.End).ThenBy(l => l.Order)) { output.Write(l.Line); output.Write('\n'); }
            foreach (var extra in d.ExtraLines) { output.Write(extra); output.Write('\n'); }
        }

        /// <inheritdoc />
        public void Complete() => output.Flush();

        private static string Flat(string text) => string.Create(text.Length, text, (span, t) =>
        {
            for (int i = 0; i < t.Length; i++) span[i] = t[i] is '\n' or '\r' or '\t' ? ' ' : t[i];
        });
    }
}
