using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace BioNer.Literature;

/// <summary>
/// Streams PubMed/MEDLINE citation XML (the annual baseline and daily update files) as documents: one per
/// <c>PubmedArticle</c> (or <c>PubmedBookArticle</c>, or a bare <c>MedlineCitation</c> of older files), id = PMID (its <c>Version</c> kept as the <c>pmid_version</c>
/// infon), a <c>title</c> passage from <c>ArticleTitle</c> and one <c>abstract</c> passage per <c>AbstractText</c>
/// (infons <c>section</c> = <c>Label</c>, <c>nlm_category</c> = <c>NlmCategory</c>). Inline markup (<c>&lt;i&gt;</c>,
/// <c>&lt;sup&gt;</c>, MathML) is flattened to its characters and white space runs become one space, so no word is
/// lost or glued to the next. Passages are laid out as PubTator does (title, one unit, first section, one unit, ...).
/// Only one citation is held in memory at a time; the DOCTYPE is ignored, never fetched.
/// </summary>
public static class PubMedXmlReader
{
    /// <summary>
    /// Reads the citations of <paramref name="stream"/>; <paramref name="deleted"/> receives the PMIDs listed under
    /// <c>DeleteCitation</c> (update files), which are reported rather than annotated.
    /// </summary>
    /// <exception cref="BioNerException">Malformed XML, with the file, line and column.</exception>
    public static IEnumerable<Document> Read(Stream stream, string source, OffsetUnit unit, Action<string>? deleted = null)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Ignore, XmlResolver = null, IgnoreComments = true, IgnoreProcessingInstructions = true,
            CloseInput = false,
        };
        using var reader = XmlReader.Create(stream, settings);
        var info = (IXmlLineInfo)reader;
        while (true)
        {
            XElement? article = null;
            int line = 0;
            try
            {
                while (article is null && !reader.EOF)
                {
                    if (reader.NodeType != XmlNodeType.Element) { reader.Read(); continue; }
                    string name = reader.LocalName;
                    if (name is "PubmedArticle" or "PubmedBookArticle" or "MedlineCitation")
                    {
                        line = info.LineNumber;
                        article = (XElement)XNode.ReadFrom(reader);
                    }
                    else if (name == "DeleteCitation")
                    {
                        var element = (XElement)XNode.ReadFrom(reader);
                        foreach (var pmid in element.Elements().Where(e => e.Name.LocalName == "PMID")) deleted?.Invoke(pmid.Value.Trim());
                    }
                    else reader.Read();
                }
            }
            catch (XmlException e)
            {
                throw new BioNerException($"malformed XML at line {e.LineNumber}, column {e.LinePosition}: {e.Message}", source, e.LineNumber > 0 ? e.LineNumber : null, e);
            }
            if (article is null) yield break;
            yield return ToDocument(article, source, line, unit);
        }
    }

    private static Document ToDocument(XElement article, string source, int line, OffsetUnit unit)
    {
        var pmid = article.Descendants().FirstOrDefault(e => e.Name.LocalName == "PMID")
                   ?? throw new BioNerException("citation without a PMID", source, line);
        var title = article.Descendants().FirstOrDefault(e => e.Name.LocalName is "ArticleTitle")
                    ?? article.Descendants().FirstOrDefault(e => e.Name.LocalName is "BookTitle" or "VernacularTitle");
        var parts = new List<(string, IReadOnlyDictionary<string, string>)>
        {
            (Flatten(title), new Dictionary<string, string> { ["type"] = "title" }),
        };
        // The citation's own abstract (not OtherAbstract translations): the first <Abstract> element.
        var abstractElement = article.Descendants().FirstOrDefault(e => e.Name.LocalName == "Abstract");
        foreach (var section in abstractElement?.Elements().Where(e => e.Name.LocalName == "AbstractText") ?? [])
        {
            string text = Flatten(section);
            if (text.Length == 0) continue;
            var infons = new Dictionary<string, string> { ["type"] = "abstract" };
            if (section.Attribute("Label")?.Value is { Length: > 0 } label) infons["section"] = label;
            if (section.Attribute("NlmCategory")?.Value is { Length: > 0 } category) infons["nlm_category"] = category;
            parts.Add((text, infons));
        }
        var docInfons = new Dictionary<string, string>();
        if (pmid.Attribute("Version")?.Value is { Length: > 0 } version) docInfons["pmid_version"] = version;
        return new Document(pmid.Value.Trim(), Document.Consecutive(parts, unit)) { Infons = docInfons, SourceLine = line };
    }

    /// <summary>All text inside <paramref name="element"/>, markup removed, white space runs folded to one space, trimmed.</summary>
    internal static string Flatten(XElement? element)
    {
        if (element is null) return "";
        var sb = new StringBuilder();
        bool space = false;
        foreach (var node in element.DescendantNodes())
        {
            if (node is not XText t) continue;
            foreach (char c in t.Value)
            {
                if (char.IsWhiteSpace(c)) { space = sb.Length > 0; continue; }
                if (space) sb.Append(' ');
                space = false;
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
