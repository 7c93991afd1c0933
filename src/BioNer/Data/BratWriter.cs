using System.Text;
using BioNer.IO;

namespace BioNer.Data;

/// <summary>
/// Writes a corpus as BRAT standoff: one <c>.txt</c> + <c>.ann</c> pair per document (sentences grouped by
/// <see cref="Sentence.DocumentId"/>, in order of first appearance; sentences without one go to <c>document</c>).
/// The text is rebuilt from the words: where every sentence of a document has offsets that match its words, each word
/// is put back at its offset (gaps become spaces, with a line break between sentences), so the <c>.ann</c> offsets
/// equal the source's; otherwise words are joined with spaces, one sentence per line. Entities come from the IOB2
/// labels; offsets are written in Unicode code points as BRAT expects.
/// </summary>
public static class BratWriter
{
    /// <summary>Writes <paramref name="corpus"/> into <paramref name="folder"/> (created if needed; each file written atomically).</summary>
    public static void Write(Corpus corpus, string folder)
    {
        Directory.CreateDirectory(folder);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in corpus.Sentences.GroupBy(s => s.DocumentId ?? "document"))
        {
            string name = FileName(group.Key, used);
            var (text, ann) = Format(group.ToList());
            AtomicFile.WriteAllText(Path.Combine(folder, name + ".txt"), text);
            AtomicFile.WriteAllText(Path.Combine(folder, name + ".ann"), ann);
        }
    }

    /// <summary>The <c>.txt</c> and <c>.ann</c> contents for one document's sentences.</summary>
    public static (string Text, string Ann) Format(IReadOnlyList<Sentence> document)
    {
        var (text, offsets) = HasUsableOffsets(document) ? Place(document) : Join(document);
        var cp = CodePointsBefore(text);
        var ann = new StringBuilder();
        int id = 0;
        for (int s = 0; s < document.Count; s++)
            foreach (var (type, start, end) in Schemes.Spans(document[s].Labels))
            {
                int from = offsets[s][start].Start, to = offsets[s][end - 1].End;
                AppendTextBound(ann, ++id, type, [(cp[from], cp[to])], text[from..to].ReplaceLineEndings(" "));
            }
        return (text, ann.ToString());
    }

    /// <summary>
    /// Appends one text-bound annotation, <c>T{id}&lt;TAB&gt;Type start end[;start end...]&lt;TAB&gt;text</c>, with the
    /// fragments' offsets as given (the caller picks the unit) and <paramref name="text"/> on one line.
    /// </summary>
    internal static void AppendTextBound(StringBuilder ann, int id, string type, IEnumerable<(int Start, int End)> fragments, string text) =>
        ann.Append('T').Append(id).Append('\t').Append(type).Append(' ')
            .AppendJoin(';', fragments.Select(f => $"{f.Start} {f.End}")).Append('\t').Append(text).Append('\n');

    /// <summary>Offsets are usable when present for every sentence, one per word, as long as the word, and increasing.</summary>
    private static bool HasUsableOffsets(IReadOnlyList<Sentence> document)
    {
        int pos = 0;
        foreach (var s in document)
        {
            if (s.Offsets is not { } o || o.Count != s.Count) return false;
            for (int w = 0; w < s.Count; w++)
            {
                if (o[w].Start < pos || o[w].End - o[w].Start != s.Words[w].Length) return false;
                pos = o[w].End;
            }
        }
        return true;
    }

    private static (string, List<IReadOnlyList<(int Start, int End)>>) Place(IReadOnlyList<Sentence> document)
    {
        var sb = new StringBuilder();
        foreach (var (s, sentence) in document.Index())
            for (int w = 0; w < sentence.Count; w++)
            {
                int gap = sentence.Offsets![w].Start - sb.Length;
                bool sentenceBreak = w == 0 && s > 0 && gap > 0;
                sb.Append(' ', sentenceBreak ? gap - 1 : gap);
                if (sentenceBreak) sb.Append('\n');
                sb.Append(sentence.Words[w]);
            }
        return (sb.Append('\n').ToString(), document.Select(s => s.Offsets!).ToList());
    }

    private static (string, List<IReadOnlyList<(int Start, int End)>>) Join(IReadOnlyList<Sentence> document)
    {
        var sb = new StringBuilder();
        var all = new List<IReadOnlyList<(int Start, int End)>>();
        foreach (var sentence in document)
        {
            var offsets = new List<(int, int)>();
            for (int w = 0; w < sentence.Count; w++)
            {
                if (w > 0) sb.Append(' ');
                offsets.Add((sb.Length, sb.Length + sentence.Words[w].Length));
                sb.Append(sentence.Words[w]);
            }
            sb.Append('\n');
            all.Add(offsets);
        }
        return (sb.ToString(), all);
    }

    /// <summary>Entry i is the number of code points in text[..i] (UTF-16 index → BRAT offset).</summary>
    internal static int[] CodePointsBefore(string text)
    {
        var map = new int[text.Length + 1];
        for (int i = 0; i < text.Length; i++)
            map[i + 1] = map[i] + (char.IsLowSurrogate(text[i]) && i > 0 && char.IsHighSurrogate(text[i - 1]) ? 0 : 1);
        return map;
    }

    private static string FileName(string documentId, HashSet<string> used)
    {
        var invalid = Path.GetInvalidFileNameChars();
        string name = new(documentId.Select(c => invalid.Contains(c) || char.IsWhiteSpace(c) ? '_' : c).ToArray());
        if (name.Length == 0 || name.StartsWith('.')) name = "_" + name;
        string unique = name;
        for (int k = 2; !used.Add(unique); k++) unique = $"{name}_{k}";
        return unique;
    }
}
