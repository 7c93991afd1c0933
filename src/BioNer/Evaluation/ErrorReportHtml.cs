using System.Globalization;
using System.Net;
using System.Text;

namespace BioNer.Evaluation;

/// <summary>
/// The report's <c>index.html</c>. Every text from the data (words, type names, the title) goes through
/// <see cref="WebUtility.HtmlEncode(string)"/>, so a corpus word like <c>&lt;b&gt;</c> shows as text and never as markup.
/// Highlights are flat runs of words (<c>span.gold</c>, <c>span.pred</c>, <c>span.gold.pred</c> where both cover a word),
/// never nested elements, so overlapping spans with different extents render without broken markup.
/// </summary>
internal static class ErrorReportHtml
{
    private const int ContextWords = 12;

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem auto;max-width:72rem;padding:0 1rem;color:#1f2328}
        h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
        table{border-collapse:collapse;margin:.6rem 0;font-variant-numeric:tabular-nums}
        th,td{border:1px solid #d0d7de;padding:.25rem .55rem;text-align:right}
        th:first-child,td:first-child,td.note{text-align:left}thead th{background:#f6f8fa}
        td.zero{color:#8c959f}td.hot{background:#ffebe9}
        img{max-width:100%;border:1px solid #d0d7de;margin:.5rem 0}
        .gold{border-bottom:3px solid #1a7f37;background:#dafbe1}
        .pred{background:#fff1b8;outline:2px dashed #bf8700;outline-offset:1px}
        .gold.pred{background:#fff1b8}
        .legend span{margin-right:1.2rem;padding:0 .2rem}
        li.example{margin:.55rem 0}.sent{line-height:1.9}.meta{color:#57606a;font-size:.9rem}
        .more{color:#57606a;font-style:italic}code{background:#f6f8fa;padding:0 .2rem}
        """;

    public static string Render(string title, IReadOnlyList<IReadOnlyList<string>> words, ErrorAnalysisResult a,
        EvaluationResult seqeval, int examplesPerCategory)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(E(title)).Append("</h1>\n");
        Summary(h, a, seqeval);
        Overall(h, a, seqeval);
        PerType(h, a, seqeval);
        Confusion(h, a.Confusion);
        Examples(h, words, a, examplesPerCategory);
        return h.Append("</body>\n</html>\n").ToString();
    }

    private static void Summary(StringBuilder h, ErrorAnalysisResult a, EvaluationResult seqeval)
    {
        string mode = seqeval.Mode == EvaluationMode.Strict ? $"strict mode, {seqeval.Scheme}" : "default mode";
        h.Append("<p class=\"summary\">").Append(a.Sentences).Append(" sentences, ").Append(a.Categories.Gold)
            .Append(" gold entities, ").Append(a.Categories.Predicted).Append(" predicted entities. seqeval (")
            .Append(E(mode)).Append("): precision ").Append(F(seqeval.Precision)).Append(", recall ")
            .Append(F(seqeval.Recall)).Append(", F1 ").Append(F(seqeval.F1)).Append(", token accuracy ")
            .Append(F(seqeval.Accuracy)).Append(". Partial-match F1 (nervaluate partial scheme): ")
            .Append(F(a.PartialF1)).Append(".</p>\n");
    }

    private static void Overall(StringBuilder h, ErrorAnalysisResult a, EvaluationResult seqeval)
    {
        h.Append("<h2>Overall</h2>\n<table id=\"categories\">\n<thead><tr><th>category</th><th>count</th><th>share</th>")
            .Append("<th>meaning</th></tr></thead>\n<tbody>\n");
        long total = a.Categories.Gold + a.Categories.Spurious;
        foreach (var c in Enum.GetValues<ErrorCategory>())
        {
            h.Append("<tr data-category=\"").Append(CategoryCounts.Key(c)).Append("\"><td>").Append(CategoryCounts.Title(c))
                .Append("</td>").Append(Count(a.Categories[c], c != ErrorCategory.ExactMatch))
                .Append("<td>").Append(total == 0 ? "–" : (100.0 * a.Categories[c] / total).ToString("0.0", CultureInfo.InvariantCulture) + " %")
                .Append("</td><td class=\"note\">").Append(Meaning(c)).Append("</td></tr>\n");
        }
        h.Append("</tbody>\n</table>\n<p class=\"meta\">Share: of all gold entities plus spurious predictions. ")
            .Append("Pairs follow nervaluate 1.1.0: each prediction takes the first free gold entity it overlaps.</p>\n");

        h.Append("<table id=\"overall\">\n<thead><tr><th>scores</th><th>correct</th><th>incorrect</th><th>partial</th>")
            .Append("<th>missed</th><th>spurious</th><th>possible</th><th>actual</th><th>precision</th><th>recall</th>")
            .Append("<th>F1</th></tr></thead>\n<tbody>\n");
        var micro = seqeval.Report.MicroAvg;
        h.Append("<tr><td>seqeval micro</td><td>").Append(seqeval.Counts.TruePositives).Append("</td><td></td><td></td>")
            .Append("<td></td><td></td><td>").Append(seqeval.Counts.Gold).Append("</td><td>").Append(seqeval.Counts.Predicted)
            .Append("</td><td>").Append(F(micro.Precision)).Append("</td><td>").Append(F(micro.Recall)).Append("</td><td>")
            .Append(F(micro.F1)).Append("</td></tr>\n");
        foreach (var s in a.Overall.All)
        {
            h.Append("<tr><td>nervaluate ").Append(s.Name).Append("</td><td>").Append(s.Correct).Append("</td><td>")
                .Append(s.Incorrect).Append("</td><td>").Append(s.Partial).Append("</td><td>").Append(s.Missed)
                .Append("</td><td>").Append(s.Spurious).Append("</td><td>").Append(s.Possible).Append("</td><td>")
                .Append(s.Actual).Append("</td><td>").Append(F(s.Precision)).Append("</td><td>").Append(F(s.Recall))
                .Append("</td><td>").Append(F(s.F1)).Append("</td></tr>\n");
        }
        h.Append("</tbody>\n</table>\n");
    }

    private static void PerType(StringBuilder h, ErrorAnalysisResult a, EvaluationResult seqeval)
    {
        h.Append("<h2>Per type</h2>\n<table id=\"types\">\n<thead><tr><th>type</th><th>support</th><th>precision</th>")
            .Append("<th>recall</th><th>F1</th>");
        foreach (var c in Enum.GetValues<ErrorCategory>()) h.Append("<th>").Append(CategoryCounts.Title(c)).Append("</th>");
        h.Append("<th>partial F1</th></tr></thead>\n<tbody>\n");
        var names = a.Types.Select(t => t.Type).Union(seqeval.Report.Types.Select(r => r.Name))
            .OrderBy(n => n, StringComparer.Ordinal);
        foreach (string name in names)
        {
            var row = seqeval.Report[name];
            var t = a[name];
            h.Append("<tr data-type=\"").Append(E(name)).Append("\"><td>").Append(E(name)).Append("</td><td>")
                .Append(row?.Support.ToString(CultureInfo.InvariantCulture) ?? "–").Append("</td><td>")
                .Append(row is null ? "–" : F(row.Precision)).Append("</td><td>").Append(row is null ? "–" : F(row.Recall))
                .Append("</td><td>").Append(row is null ? "–" : F(row.F1)).Append("</td>");
            foreach (var c in Enum.GetValues<ErrorCategory>())
                h.Append(Count(t?.Categories[c] ?? 0, c != ErrorCategory.ExactMatch));
            h.Append("<td>").Append(t is null ? "–" : F(t.Schemes.Partial.F1)).Append("</td></tr>\n");
        }
        h.Append("</tbody>\n</table>\n<p class=\"meta\">precision, recall, F1, support: seqeval. Categories: under the ")
            .Append("gold entity's type (spurious: the predicted type). Partial F1: nervaluate's partial scheme on this ")
            .Append("type's entities alone.</p>\n<img id=\"prf-plot\" src=\"").Append(ErrorReport.PrfPlotFile)
            .Append("\" alt=\"per-type precision, recall and F1\">\n");
    }

    private static void Confusion(StringBuilder h, ConfusionMatrix m)
    {
        h.Append("<h2>Type confusion</h2>\n<p class=\"meta\">Rows: gold type; columns: predicted type, over the pairs ")
            .Append("(column none: missed; row none: spurious).</p>\n<table id=\"confusion\">\n<thead><tr><th>gold \\ predicted</th>");
        foreach (var label in m.Labels) h.Append("<th>").Append(E(label)).Append("</th>");
        h.Append("</tr></thead>\n<tbody>\n");
        for (int g = 0; g < m.Labels.Count; g++)
        {
            h.Append("<tr><th>").Append(E(m.Labels[g])).Append("</th>");
            for (int p = 0; p < m.Labels.Count; p++) h.Append(Count(m.Counts[g][p], g != p));
            h.Append("</tr>\n");
        }
        h.Append("</tbody>\n</table>\n<img id=\"confusion-plot\" src=\"").Append(ErrorReport.ConfusionPlotFile)
            .Append("\" alt=\"type confusion heat map\">\n");
    }

    private static void Examples(StringBuilder h, IReadOnlyList<IReadOnlyList<string>> words, ErrorAnalysisResult a,
        int cap)
    {
        h.Append("<h2>Examples</h2>\n<p class=\"legend\"><span class=\"gold\">gold entity</span>")
            .Append("<span class=\"pred\">predicted entity</span><span class=\"gold pred\">both</span></p>\n");
        foreach (var category in ErrorAnalysisResult.ErrorCategories)
        {
            var cases = a.Cases.Where(c => c.Category == category).ToList();
            h.Append("<section id=\"ex-").Append(CategoryCounts.Key(category)).Append("\">\n<h3>")
                .Append(char.ToUpperInvariant(CategoryCounts.Title(category)[0])).Append(CategoryCounts.Title(category)[1..])
                .Append(" (").Append(cases.Count).Append(")</h3>\n");
            if (cases.Count == 0)
            {
                h.Append("<p class=\"more\">none</p>\n</section>\n");
                continue;
            }
            h.Append("<ol>\n");
            foreach (var c in cases.Take(cap)) Example(h, words[c.Sentence], c);
            h.Append("</ol>\n");
            if (cases.Count > cap) h.Append("<p class=\"more\">and ").Append(cases.Count - cap).Append(" more</p>\n");
            h.Append("</section>\n");
        }
    }

    /// <summary>One case: the sentence around the spans (±12 words), runs of words classed gold/pred, then a line of detail.</summary>
    private static void Example(StringBuilder h, IReadOnlyList<string> sentence, ErrorCase c)
    {
        int start = Math.Min(c.Gold?.Start ?? int.MaxValue, c.Predicted?.Start ?? int.MaxValue);
        int end = Math.Max(c.Gold?.End ?? -1, c.Predicted?.End ?? -1);
        int from = Math.Max(0, start - ContextWords), to = Math.Min(sentence.Count - 1, end + ContextWords);
        h.Append("<li class=\"example\"><div class=\"sent\">");
        if (from > 0) h.Append("… ");
        for (int i = from; i <= to;)
        {
            string cls = Classes(c, i);
            int j = i;
            while (j + 1 <= to && Classes(c, j + 1) == cls) j++;
            string run = E(string.Join(' ', sentence.Skip(i).Take(j - i + 1)));
            if (cls.Length == 0) h.Append(run);
            else h.Append("<span class=\"").Append(cls).Append("\">").Append(run).Append("</span>");
            if (j < to) h.Append(' ');
            i = j + 1;
        }
        if (to < sentence.Count - 1) h.Append(" …");
        h.Append("</div><div class=\"meta\">sentence ").Append(c.Sentence + 1).Append(": ")
            .Append(Describe("gold", c.Gold, c.GoldText)).Append(" · ").Append(Describe("predicted", c.Predicted, c.PredictedText))
            .Append("</div></li>\n");
    }

    private static string Classes(ErrorCase c, int word)
    {
        bool gold = c.Gold is { } g && g.Start <= word && word <= g.End;
        bool pred = c.Predicted is { } p && p.Start <= word && word <= p.End;
        return (gold, pred) switch { (true, true) => "gold pred", (true, false) => "gold", (false, true) => "pred", _ => "" };
    }

    private static string Describe(string side, Chunk? e, string? text) => e is { } v
        ? $"{side} <b>{E(v.Type)}</b> “{E(text ?? "")}” (words {v.Start + 1}–{v.End + 1})"
        : $"{side}: none";

    private static string Meaning(ErrorCategory c) => c switch
    {
        ErrorCategory.ExactMatch => "same words, same type",
        ErrorCategory.WrongType => "same words, other type",
        ErrorCategory.WrongBoundary => "overlapping words, same type",
        ErrorCategory.BothWrong => "overlapping words, other type",
        ErrorCategory.Missed => "gold entity no prediction was paired with",
        _ => "prediction paired with no gold entity",
    };

    private static string Count(long n, bool isError) =>
        $"<td class=\"{(n == 0 ? "zero" : isError ? "hot" : "")}\">{n.ToString(CultureInfo.InvariantCulture)}</td>";

    private static string F(double value) =>
        double.IsFinite(value) ? value.ToString("0.0000", CultureInfo.InvariantCulture) : "–";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
