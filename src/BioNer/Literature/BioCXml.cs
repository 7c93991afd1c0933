using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace BioNer.Literature;

/// <summary>The collection-level fields of a BioC file (<c>source</c>, <c>date</c>, <c>key</c>, infons), carried to the output.</summary>
/// <param name="Source">Where the documents come from (<c>PubMed</c>, <c>PMC</c>, ...).</param>
/// <param name="Date">The collection date as written (BioC uses <c>yyyyMMdd</c>).</param>
/// <param name="Key">The key file describing the infons.</param>
/// <param name="Infons">Collection infons.</param>
public sealed record BioCHeader(string Source, string Date, string Key, IReadOnlyDictionary<string, string> Infons)
{
    /// <summary>
    /// The header BioNer writes for documents that did not come from a BioC file; <paramref name="date"/> is the input
    /// file's date, so every shard (on any day) writes the same bytes for the same input.
    /// </summary>
    public static BioCHeader For(string source, DateTime date) =>
        new(source, date.ToString("yyyyMMdd", CultureInfo.InvariantCulture), "", Mention.EmptyInfons);
}

/// <summary>
/// BioC XML (<c>collection → document → passage → annotation</c>), read and written one document at a time.
/// Text units: a passage's <c>text</c>, or, for sentence-split passages without one, each <c>sentence</c>'s text;
/// every unit becomes a <see cref="Passage"/> whose <see cref="Passage.Offset"/> is the unit's document-level offset.
/// Input annotations are kept: the writer adds BioNer's annotations to the very element it read, so sentences,
/// relations and unknown infons go out unchanged.
/// </summary>
public static class BioCXml
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Ignore, XmlResolver = null, IgnoreComments = true, IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    /// <summary>
    /// Opens a BioC XML stream: reads the collection header at once and returns it with a lazy sequence of documents.
    /// </summary>
    /// <exception cref="BioNerException">Malformed XML or a malformed document, with the file and line.</exception>
    public static (BioCHeader Header, IEnumerable<Document> Documents) Read(Stream stream, string source, OffsetUnit unit)
    {
        var reader = XmlReader.Create(stream, Settings);
        string src = "", date = "", key = "";
        var infons = new Dictionary<string, string>();
        Guard(source, () =>
        {
            reader.MoveToContent();
            if (reader.LocalName != "collection") throw new BioNerException($"BioC XML must start with <collection>, not <{reader.LocalName}>", source, ((IXmlLineInfo)reader).LineNumber);
            reader.Read();
            while (!reader.EOF && !(reader.NodeType == XmlNodeType.Element && reader.LocalName == "document"))
            {
                if (reader.NodeType != XmlNodeType.Element) { reader.Read(); continue; }
                var e = (XElement)XNode.ReadFrom(reader);
                switch (e.Name.LocalName)
                {
                    case "source": src = e.Value; break;
                    case "date": date = e.Value; break;
                    case "key": key = e.Value; break;
                    case "infon": infons[(string?)e.Attribute("key") ?? ""] = e.Value; break;
                }
            }
        });
        return (new BioCHeader(src, date, key, infons), Documents(reader, source, unit));
    }

    private static IEnumerable<Document> Documents(XmlReader reader, string source, OffsetUnit unit)
    {
        using (reader)
        {
            var info = (IXmlLineInfo)reader;
            while (true)
            {
                XElement? element = null;
                int line = 0;
                Guard(source, () =>
                {
                    while (element is null && !reader.EOF)
                    {
                        if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "document")
                        {
                            line = info.LineNumber;
                            element = (XElement)XNode.ReadFrom(reader);
                        }
                        else reader.Read();
                    }
                });
                if (element is null) yield break;
                yield return ToDocument(element, source, line, unit);
            }
        }
    }

    private static void Guard(string source, Action read)
    {
        try { read(); }
        catch (XmlException e)
        {
            throw new BioNerException($"malformed XML at line {e.LineNumber}, column {e.LinePosition}: {e.Message}", source, e.LineNumber > 0 ? e.LineNumber : null, e);
        }
    }

    private static Document ToDocument(XElement element, string source, int line, OffsetUnit unit)
    {
        string id = Child(element, "id")?.Value ?? throw new BioNerException("<document> without <id>", source, line);
        var passages = Units(element).Select(u => ToPassage(u, id, source, line, unit)).ToList();
        return new Document(id, passages) { Infons = InfonsOf(element), BioCXml = element, SourceLine = line };
    }

    /// <summary>The elements whose text BioNer annotates, in document order: passages with text, else their sentences.</summary>
    internal static IEnumerable<XElement> Units(XElement document)
    {
        foreach (var passage in document.Elements().Where(e => e.Name.LocalName == "passage"))
        {
            if (Child(passage, "text") is not null) yield return passage;
            else foreach (var s in passage.Elements().Where(e => e.Name.LocalName == "sentence")) yield return s;
        }
    }

    private static Passage ToPassage(XElement unitElement, string doc, string source, int line, OffsetUnit unit)
    {
        string where = $"document {doc}: <{unitElement.Name.LocalName}>";
        int offset = Int(Child(unitElement, "offset")?.Value, $"{where} <offset>", source, line);
        string text = Child(unitElement, "text")?.Value ?? "";
        var infons = InfonsOf(unitElement);
        if (unitElement.Name.LocalName == "sentence" && unitElement.Parent is { } p && InfonsOf(p).TryGetValue("type", out var t) && !infons.ContainsKey("type"))
            infons = new Dictionary<string, string>(infons) { ["type"] = t };
        var existing = new List<Mention>();
        foreach (var a in unitElement.Elements().Where(e => e.Name.LocalName == "annotation"))
        {
            var aInfons = InfonsOf(a);
            var loc = a.Elements().FirstOrDefault(e => e.Name.LocalName == "location");
            int start = -1, end = -1;
            if (loc is not null)
            {
                int o = Int((string?)loc.Attribute("offset"), $"{where} annotation location offset", source, line);
                int len = Int((string?)loc.Attribute("length"), $"{where} annotation location length", source, line);
                start = Offsets.ToUtf16(text, o - offset, unit);
                end = start < 0 ? -1 : Offsets.ToUtf16(text, o - offset + len, unit);
            }
            existing.Add(new Mention(aInfons.GetValueOrDefault("type", ""), start, end, Child(a, "text")?.Value ?? "") { Infons = aInfons });
        }
        return new Passage(offset, text, infons) { Existing = existing };
    }

    private static XElement? Child(XElement e, string name) => e.Elements().FirstOrDefault(c => c.Name.LocalName == name);

    private static Dictionary<string, string> InfonsOf(XElement e) =>
        e.Elements().Where(c => c.Name.LocalName == "infon")
            .GroupBy(c => (string?)c.Attribute("key") ?? "").ToDictionary(g => g.Key, g => g.Last().Value);

    private static int Int(string? value, string what, string source, int line) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 0
            ? v : throw new BioNerException($"{what} must be a non-negative integer, got '{value}'", source, line);

    /// <summary>Writes a BioC XML collection document by document (the header first, the closing tag at <see cref="Complete"/>).</summary>
    public sealed class Writer : IDocumentWriter
    {
        private readonly XmlWriter _w;
        private readonly OffsetUnit _unit;

        /// <summary>Starts the collection on <paramref name="output"/> with <paramref name="header"/>'s fields.</summary>
        public Writer(TextWriter output, BioCHeader header, OffsetUnit unit)
        {
            _unit = unit;
            // The declaration by hand: it must say UTF-8 (what every output file is), whatever the TextWriter reports.
            output.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            _w = XmlWriter.Create(output, new XmlWriterSettings
            {
                Indent = false, CloseOutput = false, NewLineHandling = NewLineHandling.Entitize, OmitXmlDeclaration = true,
            });
            _w.WriteDocType("collection", null, "BioC.dtd", null);
            _w.WriteRaw("\n");
            _w.WriteStartElement("collection");
            _w.WriteElementString("source", header.Source);
            _w.WriteElementString("date", header.Date);
            _w.WriteElementString("key", header.Key);
            foreach (var (k, v) in header.Infons) WriteInfon(_w, k, v);
            _w.WriteRaw("\n");
        }

        /// <inheritdoc />
        public void Write(Document document)
        {
            bool original = document.BioCXml is not null;
            var element = original ? new XElement(document.BioCXml!) : Build(document);
            var units = Units(element).ToList();
            int next = NextId(element);
            for (int i = 0; i < units.Count && i < document.Passages.Count; i++)
            {
                var p = document.Passages[i];
                var mentions = original ? p.Predicted : p.KeptAndPredicted();
                var added = mentions.Select(m => Annotation((next++).ToString(CultureInfo.InvariantCulture), p, m)).ToList();
                if (added.Count == 0) continue;
                var anchor = units[i].Elements().LastOrDefault(e => e.Name.LocalName is "annotation" or "text" or "offset");
                if (anchor is null) units[i].Add(added);
                else anchor.AddAfterSelf(added);
            }
            element.WriteTo(_w);
            _w.WriteRaw("\n");
            _w.Flush();
        }

        private XElement Annotation(string id, Passage p, Mention m)
        {
            var a = new XElement("annotation", new XAttribute("id", id), Infon("type", m.Type));
            foreach (var (k, v) in Passage.OutputInfons(m)) a.Add(Infon(k, v));
            if (m.Score is { } s) a.Add(Infon("score", s.ToString("0.######", CultureInfo.InvariantCulture)));
            a.Add(new XElement("location",
                new XAttribute("offset", p.Offset + Offsets.Length(p.Text.AsSpan(0, m.Start), _unit)),
                new XAttribute("length", Offsets.Length(p.Text.AsSpan(m.Start, m.End - m.Start), _unit))));
            a.Add(new XElement("text", m.Text));
            return a;
        }

        private static XElement Build(Document d)
        {
            var doc = new XElement("document", new XElement("id", d.Id), d.Infons.Select(kv => Infon(kv.Key, kv.Value)));
            foreach (var p in d.Passages)
                doc.Add(new XElement("passage", p.Infons.Select(kv => Infon(kv.Key, kv.Value)),
                    new XElement("offset", p.Offset), new XElement("text", p.Text)));
            return doc;
        }

        // Numeric annotation ids continue after the largest numeric id already in the document (ids are document-unique).
        private static int NextId(XElement document)
        {
            int max = 0;
            foreach (var a in document.Descendants().Where(e => e.Name.LocalName == "annotation"))
                if (int.TryParse((string?)a.Attribute("id"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)) max = Math.Max(max, v);
            return max + 1;
        }

        private static XElement Infon(string key, string value) => new("infon", new XAttribute("key", key), value);

        private static void WriteInfon(XmlWriter w, string key, string value)
        {
            w.WriteStartElement("infon");
            w.WriteAttributeString("key", key);
            w.WriteString(value);
            w.WriteEndElement();
        }

        /// <inheritdoc />
        public void Complete()
        {
            _w.WriteEndElement();
            _w.Flush();
            _w.Dispose();
        }
    }
}
