using System.Text.Json;
using BioNer.Inference;

namespace BioNer.Tests.Inference;

public class EntityFormatsTests
{
    private const string Text = "Aspirin <b>\r\nblocks COX-1\tin 🧬 cells";
    private static readonly PredictedDocument Doc = new("123", Text,
    [
        new Entity("Chemical", 0, 7, "Aspirin", 0.9),
        new Entity("Protein", 8, 19, Text[8..19], 0.5),   // "<b>\r\nblocks" crosses the line break
        new Entity("Protein", 20, 25, "COX-1", 0.75),
    ]);

    [Fact]
    public void PubTator_TitleAbstract_OffsetsOfOriginalText()
    {
        Assert.Equal(
            "123|t|Aspirin <b> \n" +
            "123|a|blocks COX-1 in 🧬 cells\n" +
            "123\t0\t7\tAspirin\tChemical\n123\t8\t19\t<b>  blocks\tProtein\n123\t20\t25\tCOX-1\tProtein\n",
            EntityFormats.PubTator(Doc));
    }

    [Fact]
    public void Brat_EntityAcrossLineBreak_DiscontinuousSpans()
    {
        Assert.Equal("T1\tChemical 0 7\tAspirin\nT2\tProtein 8 11;13 19\t<b> blocks\nT3\tProtein 20 25\tCOX-1\n", EntityFormats.Brat(Doc));
    }

    [Fact]
    public void Brat_TextBeyondTheBmp_OffsetsInCodePointsReadBackByTheBratReader()
    {
        const string text = "🧬 Aspirin blocks 😀 COX-1.";
        int cox = text.IndexOf("COX-1", StringComparison.Ordinal);
        var doc = new PredictedDocument("d", text, [new Entity("Chemical", 3, 10, "Aspirin", 0.9), new Entity("Protein", cox, cox + 5, "COX-1", 0.8)]);

        string ann = EntityFormats.Brat(doc);

        Assert.Equal("T1\tChemical 2 9\tAspirin\nT2\tProtein 19 24\tCOX-1\n", ann);
        var read = BioNer.Data.BratReader.Parse(text, ann, "d");
        var sentence = read.Corpus.Sentences.Single();
        var begins = sentence.Words.Zip(sentence.Labels).Where(p => p.Second.StartsWith("B-", StringComparison.Ordinal)).ToList();
        Assert.Equal([("Aspirin", "B-Chemical"), ("COX", "B-Protein")], begins.Select(p => (p.First.Split('-')[0], p.Second)));
    }

    [Fact]
    public void Conll_WordsLabelledFromEntities()
    {
        var doc = new PredictedDocument("d", "Aspirin blocks COX-1.", [new Entity("Protein", 15, 20, "COX-1", 0.7)]);
        Assert.Equal("-DOCSTART-\tO\n\nAspirin\tO\nblocks\tO\nCOX\tB-Protein\n-\tI-Protein\n1\tI-Protein\n.\tO\n\n", EntityFormats.Conll(doc));
    }

    [Fact]
    public void Json_RoundTrips_WithOriginalOffsets()
    {
        using var json = JsonDocument.Parse(EntityFormats.Render([Doc], EntityFormat.Json));
        var doc = json.RootElement[0];
        Assert.Equal(Text, doc.GetProperty("text").GetString());
        var e = doc.GetProperty("entities")[2];
        Assert.Equal(("Protein", 20, 25, "COX-1", 0.75),
            (e.GetProperty("type").GetString(), e.GetProperty("start").GetInt32(), e.GetProperty("end").GetInt32(), e.GetProperty("text").GetString(), e.GetProperty("score").GetDouble()));
        string jsonl = EntityFormats.Render([Doc, Doc with { Id = "124" }], EntityFormat.Jsonl);
        Assert.Equal(2, jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Html_EscapesTextAndColoursTypes()
    {
        string html = HtmlReport.Render([Doc]);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("&lt;b&gt;", html);
        Assert.Contains("data-type=\"Chemical\" style=\"background:#7aecec\">Aspirin<span>Chemical</span></mark>", html);
        Assert.Contains("data-type=\"Protein\" style=\"background:#feca74\">COX-1", html);
        Assert.Contains("🧬", html);
        Assert.Equal(2 + 3, html.Split("class=\"entity\"").Length - 1); // legend + mentions
    }

    [Theory]
    [InlineData("json", EntityFormat.Json)]
    [InlineData("PubTator", EntityFormat.Pubtator)]
    public void Parse_KnownFormat(string name, EntityFormat expected) => Assert.Equal(expected, EntityFormats.Parse(name));

    [Fact]
    public void Parse_Unknown_Throws() => Assert.Throws<BioNerException>(() => EntityFormats.Parse("xml"));
}
