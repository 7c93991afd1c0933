using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace BioNer.Data.Craft;

/// <summary>
/// One concept mention of a Knowtator standoff file: the character spans it covers in the article text (several spans
/// when the mention is discontinuous, e.g. <c>white ... fat</c>), the text they cover and the ontology class it denotes.
/// </summary>
/// <param name="Id">The annotation's mention id (e.g. <c>CHEBI_2015_08_26_Instance_14623</c>).</param>
/// <param name="Spans">The [start, end) character spans in document order; empty when the file gave none.</param>
/// <param name="Text">The spanned text as written in the file (discontinuous parts joined by <c> ... </c>).</param>
/// <param name="ClassId">The ontology class (e.g. <c>CHEBI:15377</c>).</param>
/// <param name="Line">1-based line of the <c>&lt;annotation&gt;</c> element, for messages.</param>
public sealed record KnowtatorMention(
    string Id, IReadOnlyList<(int Start, int End)> Spans, string Text, string ClassId, int Line)
{
    /// <summary>True when the mention is made of more than one span.</summary>
    public bool IsDiscontinuous => Spans.Count > 1;
}

/// <summary>
/// Reads the Knowtator XML standoff files that CRAFT ships per article and ontology
/// (<c>concept-annotation/&lt;ONT&gt;/&lt;ONT&gt;[+extensions]/knowtator/&lt;id&gt;.txt.knowtator.xml</c>).
/// Why a reader of its own: the format links each <c>&lt;annotation&gt;</c> (spans + text) to a
/// <c>&lt;classMention&gt;</c> (ontology class) through the mention id, and a broken file must be reported with its
/// path and line rather than surfacing as a bare <see cref="XmlException"/>.
/// </summary>
public static class KnowtatorReader
{
    /// <summary>Reads all mentions of one Knowtator file, in annotation order.</summary>
    /// <exception cref="BioNerException">The file is not well-formed XML, a span is not a valid integer range, or an
    /// annotation has no matching class mention; the message names the file and line.</exception>
    public static IReadOnlyList<KnowtatorMention> Read(string path)
    {
        XDocument doc;
        try
        {
            doc = XDocument.Load(path, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new BioNerException($"malformed Knowtator XML: {e.Message}", path, e.LineNumber, e);
        }
        XElement root = doc.Root ?? throw new BioNerException("empty Knowtator XML", path);
        var classes = ReadClassMentions(root, path);
        var mentions = new List<KnowtatorMention>();
        foreach (var a in root.Elements("annotation"))
        {
            int line = LineOf(a);
            string id = a.Element("mention")?.Attribute("id")?.Value
                        ?? throw new BioNerException("<annotation> without <mention id=...>", path, line);
            if (!classes.TryGetValue(id, out string? classId))
                throw new BioNerException($"annotation '{id}' has no <classMention> with a <mentionClass id=...>", path, line);
            var spans = a.Elements("span").Select(s => ReadSpan(s, path)).ToList();
            mentions.Add(new KnowtatorMention(id, spans, a.Element("spannedText")?.Value ?? "", classId, line));
        }
        return mentions;
    }

    private static Dictionary<string, string> ReadClassMentions(XElement root, string path)
    {
        var classes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var cm in root.Elements("classMention"))
        {
            string? id = cm.Attribute("id")?.Value;
            string? cls = cm.Element("mentionClass")?.Attribute("id")?.Value;
            if (id is null || cls is null)
                throw new BioNerException("<classMention> without id or <mentionClass id=...>", path, LineOf(cm));
            classes[id] = cls;
        }
        return classes;
    }

    private static (int Start, int End) ReadSpan(XElement span, string path)
    {
        if (int.TryParse(span.Attribute("start")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int start)
            && int.TryParse(span.Attribute("end")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int end)
            && start < end)
            return (start, end);
        throw new BioNerException(
            $"<span> needs integer start < end, got start='{span.Attribute("start")?.Value}' end='{span.Attribute("end")?.Value}'",
            path, LineOf(span));
    }

    private static int LineOf(XObject x) => x is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;
}
