using System.Text;
using BioNer.Inference;
using BioNer.IO;
using BioNer.Literature;

namespace BioNer.Batch;

/// <summary>
/// The writer for each output format of <c>bioner predict</c>. BioC and PubTator write documents with their passages;
/// the text formats (JSON, JSON Lines, CoNLL, HTML) see one text per document, its passages joined by line breaks,
/// with entity offsets into that text in the run's unit.
/// </summary>
public static class DocumentWriters
{
    /// <summary>A writer of <paramref name="format"/> on <paramref name="output"/>; BRAT needs a folder (<see cref="BratFolder"/>).</summary>
    public static IDocumentWriter Create(EntityFormat format, TextWriter output, BioCHeader header, OffsetUnit unit) => format switch
    {
        EntityFormat.BioC => new BioCXml.Writer(output, header, unit),
        EntityFormat.BioCJson => new BioCJson.Writer(output, header, unit),
        EntityFormat.Pubtator => new PubTator.Writer(output, unit),
        EntityFormat.Brat => throw new BioNerException("--format brat writes a .txt and an .ann file per document: give --out a folder"),
        _ => new TextWriterAdapter(format, output, unit),
    };

    /// <summary>
    /// Writes one output at <paramref name="outPath"/> atomically through <paramref name="write"/>: a BRAT folder
    /// (<see cref="BratFolder"/>) or a UTF-8 file of <paramref name="format"/>. Why atomically: a reader (or a rerun of a
    /// batch) never takes half an output for a whole one, and a failed input leaves none.
    /// </summary>
    public static void WriteAtomically(string outPath, EntityFormat format, BioCHeader header, OffsetUnit unit, Action<IDocumentWriter> write)
    {
        if (format == EntityFormat.Brat) AtomicFile.WriteDirectory(outPath, tmp => write(BratFolder(tmp)));
        else
            AtomicFile.Write(outPath, stream =>
            {
                using var text = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
                write(Create(format, text, header, unit));
                text.Flush();
            });
    }

    /// <summary>
    /// Writes each document as BRAT standoff into <paramref name="folder"/> (<c>ID.txt</c> with the joined text and
    /// <c>ID.ann</c>); ids are made file-name safe.
    /// </summary>
    public static IDocumentWriter BratFolder(string folder) => new BratWriter(folder);

    /// <summary>
    /// A document as one text (passages joined by <c>\n</c>) with its predicted mentions as entities, offsets
    /// converted from UTF-16 to <paramref name="unit"/>; what the single-text formats write.
    /// </summary>
    public static PredictedDocument ToPredicted(Document d, OffsetUnit unit = OffsetUnit.Utf16)
    {
        var entities = new List<Entity>();
        var text = new StringBuilder();
        foreach (var p in d.Passages)
        {
            if (text.Length > 0) text.Append('\n');
            int at = text.Length;
            text.Append(p.Text);
            foreach (var m in p.Predicted)
                entities.Add(new Entity(m.Type, at + m.Start, at + m.End, p.Text[m.Start..m.End], m.Score ?? 1.0));
        }
        string full = text.ToString();
        entities.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End));
        if (unit != OffsetUnit.Utf16)
            entities = entities.Select(e => e with
            {
                Start = Offsets.Length(full.AsSpan(0, e.Start), unit),
                End = Offsets.Length(full.AsSpan(0, e.End), unit),
            }).ToList();
        return new PredictedDocument(d.Id, full, entities);
    }

    private sealed class TextWriterAdapter(EntityFormat format, TextWriter output, OffsetUnit unit) : IDocumentWriter
    {
        private readonly List<PredictedDocument> _html = [];
        private bool _first = true;

        public void Write(Document document)
        {
            var d = ToPredicted(document, format is EntityFormat.Json or EntityFormat.Jsonl ? unit : OffsetUnit.Utf16);
            switch (format)
            {
                case EntityFormat.Json:
                    output.Write(_first ? "[\n" : ",\n");
                    output.Write(EntityFormats.JsonObject(d, indented: true));
                    break;
                case EntityFormat.Html:
                    _html.Add(d);
                    break;
                default:
                    output.Write(EntityFormats.Render([d], format));
                    break;
            }
            _first = false;
        }

        public void Complete()
        {
            if (format == EntityFormat.Json) output.Write(_first ? "[\n\n]\n" : "\n]\n");
            if (format == EntityFormat.Html) output.Write(HtmlReport.Render(_html));
            output.Flush();
        }
    }

    private sealed class BratWriter(string folder) : IDocumentWriter
    {
        private readonly HashSet<string> _names = [];

        public void Write(Document document)
        {
            var d = ToPredicted(document);
            string name = string.Concat(d.Id.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
            if (name.Length == 0 || !_names.Add(name)) name = $"{name}_{_names.Count + 1}";
            _names.Add(name);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, name + ".txt"), d.Text);
            File.WriteAllText(Path.Combine(folder, name + ".ann"), EntityFormats.Brat(d));
        }

        public void Complete() { }
    }
}
