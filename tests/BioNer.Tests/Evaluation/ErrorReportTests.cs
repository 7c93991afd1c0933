using System.Text.Json;
using BioNer.Evaluation;
using static BioNer.Tests.Evaluation.EvalTestData;

namespace BioNer.Tests.Evaluation;

/// <summary>The report folder: the page's tables and highlighted examples, escaping, the caps, the PNGs and the JSON.</summary>
public class ErrorReportTests
{
    internal static ErrorAnalysisResult WriteHand(string dir, int examplesPerCategory = 20, string title = "Hand <test> & co")
    {
        var (words, gold, pred) = (Seqs(ErrorAnalysisTests.Words), Seqs(ErrorAnalysisTests.Gold), Seqs(ErrorAnalysisTests.Pred));
        return ErrorReport.Write(dir, words, gold, pred, SeqevalMetrics.Evaluate(gold, pred), title, examplesPerCategory);
    }

    [Fact]
    public void Write_HandBuilt_PageHighlightsGoldAndPredictedSpans()
    {
        using var tmp = new TempDir();
        string dir = tmp.File("report");
        WriteHand(dir);
        string html = File.ReadAllText(Path.Combine(dir, ErrorReport.IndexFile));
        // Wrong boundary: gold "COX 1", predicted "COX" → one run covered by both, then the gold-only word.
        Assert.Contains("<span class=\"gold pred\">COX</span> <span class=\"gold\">1</span>", html);
        // Wrong type: the same two words in both.
        Assert.Contains("<span class=\"gold pred\">acetylsalicylic acid</span>", html);
        // Both wrong: gold "T cells", predicted "human T".
        Assert.Contains("<span class=\"pred\">human</span> <span class=\"gold pred\">T</span> <span class=\"gold\">cells</span>", html);
        Assert.Contains("<section id=\"ex-missed\">", html);
        Assert.Contains("class=\"legend\"", html);
        Assert.Contains("<table id=\"types\">", html);
        Assert.Contains("<table id=\"confusion\">", html);
        Assert.Contains($"src=\"{ErrorReport.PrfPlotFile}\"", html);
        Assert.Contains($"src=\"{ErrorReport.ConfusionPlotFile}\"", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("http", html);
    }

    [Fact]
    public void Write_MarkupInWordsAndTitle_IsEscaped()
    {
        using var tmp = new TempDir();
        string dir = tmp.File("r");
        var words = Seqs("<b>aspirin</b> & \"x\"");
        var gold = Seqs("B-Chem<i> O O");
        var pred = Seqs("O O B-Gene");
        ErrorReport.Write(dir, words, gold, pred, SeqevalMetrics.Evaluate(gold, pred), "<script>alert(1)</script>");
        string html = File.ReadAllText(Path.Combine(dir, ErrorReport.IndexFile));
        Assert.DoesNotContain("<b>aspirin", html);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("Chem<i>", html);
        Assert.Contains("<span class=\"gold\">&lt;b&gt;aspirin&lt;/b&gt;</span>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("<span class=\"pred\">&quot;x&quot;</span>", html);
    }

    [Fact]
    public void Write_CapPerCategory_SaysHowManyMore()
    {
        using var tmp = new TempDir();
        string dir = tmp.File("r");
        var gold = Seqs("B-X O | B-X O | B-X O");
        var pred = Seqs("B-Y O | B-Y O | B-Y O");
        var words = Seqs("a b | c d | e f");
        ErrorReport.Write(dir, words, gold, pred, SeqevalMetrics.Evaluate(gold, pred), "cap", examplesPerCategory: 2);
        string html = File.ReadAllText(Path.Combine(dir, ErrorReport.IndexFile));
        string section = html[html.IndexOf("<section id=\"ex-wrong_type\">", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("</section>", StringComparison.Ordinal)];
        Assert.Contains("Wrong type (3)", section);
        Assert.Equal(2, section.Split("<li class=\"example\">").Length - 1);
        Assert.Contains("and 1 more", section);
    }

    [Fact]
    public void Write_HandBuilt_WritesValidPngsAndJson()
    {
        using var tmp = new TempDir();
        string dir = tmp.File("report");
        var analysis = WriteHand(dir);
        byte[] magic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        foreach (string png in new[] { ErrorReport.PrfPlotFile, ErrorReport.ConfusionPlotFile })
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(dir, png));
            Assert.Equal(magic, bytes[..8]);
            Assert.True(bytes.Length > 5_000, $"{png}: only {bytes.Length} bytes");
        }
        string json = File.ReadAllText(Path.Combine(dir, ErrorReport.JsonFile));
        Assert.Equal(analysis.ToJson(examplesPerCategory: 20), json);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(3, doc.RootElement.GetProperty("sentences").GetInt32());
        Assert.DoesNotContain(Directory.GetFiles(dir), f => Path.GetFileName(f).StartsWith('.'));   // no temp leftovers
    }

    [Fact]
    public void Write_ExistingFolder_KeepsOtherFilesReplacesReport()
    {
        using var tmp = new TempDir();
        string dir = tmp.File("r");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "mine");
        File.WriteAllText(Path.Combine(dir, ErrorReport.IndexFile), "old");
        WriteHand(dir);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(dir, "notes.txt")));
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(Path.Combine(dir, ErrorReport.IndexFile)));
    }

    [Fact]
    public void Write_NoEntities_StillRenders()
    {
        using var tmp = new TempDir();
        string dir = tmp.File("r");
        var labels = Seqs("O O");
        ErrorReport.Write(dir, Seqs("a b"), labels, labels, SeqevalMetrics.Evaluate(labels, labels), "empty");
        Assert.Contains("Wrong type (0)", File.ReadAllText(Path.Combine(dir, ErrorReport.IndexFile)));
        Assert.True(new FileInfo(Path.Combine(dir, ErrorReport.ConfusionPlotFile)).Length > 1_000);
    }
}
