using System.Text;

namespace BioNer.Inference;

/// <summary>
/// A self-contained HTML page (no scripts, no external resources) showing each document with its entities highlighted,
/// one colour per type and a legend, like spaCy's displaCy. All text is HTML-escaped, so a document can never inject
/// markup; line breaks and tabs are kept with <c>white-space: pre-wrap</c>.
/// </summary>
public static class HtmlReport
{
    /// <summary>Colours given to entity types in sorted order (the web page uses the same list).</summary>
    public static IReadOnlyList<string> Palette { get; } =
        ["#7aecec", "#feca74", "#aa9cfc", "#bfe1d9", "#ff9561", "#c887fb", "#9cc9cc", "#f0d0ff", "#e4e7d2", "#ffeb80", "#bfeeb7", "#ddd9ff"];

    /// <summary>Colour of each type: the types sorted ordinally, then cycled through <see cref="Palette"/>.</summary>
    public static IReadOnlyDictionary<string, string> Colours(IEnumerable<string> types) =>
        types.Distinct().OrderBy(t => t, StringComparer.Ordinal).Select((t, i) => (t, Palette[i % Palette.Count]))
            .ToDictionary(x => x.t, x => x.Item2);

    /// <summary>Renders the page.</summary>
    public static string Render(IReadOnlyList<PredictedDocument> documents)
    {
        var colours = Colours(documents.SelectMany(d => d.Entities).Select(e => e.Type));
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>BioNer entities</title><style>")
          .Append("body{font-family:system-ui,sans-serif;margin:2em;max-width:60em;line-height:2}")
          .Append(".doc{white-space:pre-wrap;border-top:1px solid #ddd;padding:1em 0}")
          .Append("mark{padding:.15em .35em;border-radius:.3em;margin:0 .1em}")
          .Append("mark span{font-size:.65em;font-weight:bold;text-transform:uppercase;margin-left:.4em;vertical-align:middle}")
          .Append(".legend mark{margin-right:.6em}h2{font-size:1em;color:#555}</style></head><body>\n<h1>BioNer entities</h1>\n");
        sb.Append("<div class=\"legend\">");
        foreach (var (type, colour) in colours) sb.Append(Mark(type, colour, Escape(type), label: false));
        sb.Append("</div>\n");
        foreach (var d in documents)
        {
            sb.Append("<h2>").Append(Escape(d.Id)).Append("</h2>\n<div class=\"doc\">");
            AppendHighlighted(sb, d, colours);
            sb.Append("</div>\n");
        }
        return sb.Append("</body></html>\n").ToString();
    }

    private static void AppendHighlighted(StringBuilder sb, PredictedDocument d, IReadOnlyDictionary<string, string> colours)
    {
        int at = 0;
        foreach (var e in d.Entities.OrderBy(e => e.Start))
        {
            if (e.Start < at) continue; // overlapping mentions cannot nest in flat markup; the first one wins
            sb.Append(Escape(d.Text[at..e.Start]));
            sb.Append(Mark(e.Type, colours[e.Type], Escape(d.Text[e.Start..e.End]), label: true));
            at = e.End;
        }
        sb.Append(Escape(d.Text[at..]));
    }

    /// <summary>Escapes the five HTML-special characters; everything else (emoji included) stays as UTF-8 text.</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");

    private static string Mark(string type, string colour, string html, bool label) =>
        $"<mark class=\"entity\" data-type=\"{Escape(type)}\" style=\"background:{colour}\">{html}" +
        (label ? $"<span>{Escape(type)}</span>" : "") + "</mark>";
}
