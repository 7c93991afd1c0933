using System.Text.Json;
using BioNer.Data;
using BioNer.Translation;

namespace BioNer.Tests.Translation;

public class CorpusTranslatorTests
{
    private static string Rendered(CorpusTranslationResult r, int i) => Fakes.Render(r.Corpus.Sentences[i].Words, r.Corpus.Sentences[i].Labels);

    [Fact]
    public async Task TranslateAsync_Markers_KeepsIdsAndCountsPerType()
    {
        var corpus = new Corpus(
        [
            Fakes.S("The aspirin/B-Chemical dose is high .") with { Id = "s1", DocumentId = "PMC1" },
            Fakes.S("aspirin/B-Chemical binds p53/B-Protein .") with { Id = "s2", DocumentId = "PMC1" },
        ]);
        var backend = new FakeBackend(Fakes.Spanish);
        var result = await CorpusTranslator.TranslateAsync(corpus, new Translator(backend, Fakes.Options()));
        Assert.Equal(["The [Chemical| aspirin ] dose is high.", "[Chemical| aspirin ] binds [Protein| p53 ]."], backend.Seen);
        Assert.Equal("La aspirina/B-Chemical dosis es alta .", Rendered(result, 0));
        Assert.Equal("aspirina/B-Chemical une p53/B-Protein .", Rendered(result, 1));
        Assert.Equal(("s2", "PMC1"), (result.Corpus.Sentences[1].Id, result.Corpus.Sentences[1].DocumentId));
        var r = result.Report;
        Assert.Equal((2, 2, 0, 3, 3), (r.Sentences, r.SentencesKept, r.SentencesDropped, r.Entities, r.EntitiesProjected));
        Assert.Equal((2, 2), (r.Types["Chemical"].Source, r.Types["Chemical"].Projected));
        Assert.Equal((1, 1, 2), (r.Requests, r.Retries + 1, r.Texts));
    }

    [Fact]
    public async Task TranslateAsync_MarkersThenAlign_AlignsWhatTheMarkersLost()
    {
        // The engine loses the markers of the first sentence only; alignment finds its entity again.
        var backend = new FakeBackend(t => Fakes.Spanish(t.StartsWith("The [", StringComparison.Ordinal) ? t.Replace("[Chemical| ", "").Replace(" ]", "") : t));
        var corpus = new Corpus([Fakes.S("The aspirin/B-Chemical dose is high ."), Fakes.S("Take aspirin/B-Chemical .")]);
        var result = await CorpusTranslator.TranslateAsync(corpus, new Translator(backend, Fakes.Options()),
            ProjectionOptions.Parse("markers+align", MarkerStyle.Brackets));
        Assert.Equal("La aspirina/B-Chemical dosis es alta .", Rendered(result, 0));
        Assert.Equal("Tome aspirina/B-Chemical .", Rendered(result, 1));
        var r = result.Report;
        Assert.Equal(("markers+align", 2, 2, 0), (r.Projection, r.SentencesKept, r.EntitiesProjected, r.EntitiesDropped));
        Assert.Equal(1, r.Repairs["AlignFallback"]);
        Assert.Equal(["The [Chemical| aspirin ] dose is high.", "Take [Chemical| aspirin ].", "The aspirin dose is high.", "aspirin"], backend.Seen);
    }

    [Fact]
    public async Task TranslateAsync_Chain_SegmentsSaveWhatMarkersAndAlignLost()
    {
        // Markers are lost, and the entity translated alone ("AAS") is not in the translated sentence: only pieces work.
        var backend = new FakeBackend(t => t == "aspirin" ? "AAS" : Fakes.Spanish(t.Replace("[Chemical| ", "").Replace(" ]", "")));
        var corpus = new Corpus([Fakes.S("The aspirin/B-Chemical dose is high .")]);
        var result = await CorpusTranslator.TranslateAsync(corpus, new Translator(backend, Fakes.Options()),
            ProjectionOptions.Parse("markers+align+segments", MarkerStyle.Brackets));
        Assert.Equal("La AAS/B-Chemical dosis es alta .", Rendered(result, 0));
        Assert.Equal(("markers+align+segments", 1, 0), (result.Report.Projection, result.Report.EntitiesProjected, result.Report.EntitiesDropped));
        Assert.Equal(1, result.Report.Repairs["SegmentsFallback"]);
    }

    [Theory]
    [InlineData("markers+markers")]
    [InlineData("markers+glossary")]
    public void ParseProjection_BadChain_NamesTheOption(string chain) =>
        Assert.StartsWith("--projection:", Assert.Throws<BioNerException>(() => ProjectionOptions.Parse(chain, MarkerStyle.Brackets)).Message);

    [Fact]
    public async Task TranslateAsync_LostEntities_EachListedInTheReport()
    {
        var backend = new FakeBackend(t => Fakes.Spanish(t.Replace("[Chemical| ", "").Replace("[Protein| ", "").Replace(" ]", "")));
        var corpus = new Corpus([Fakes.S("The aspirin/B-Chemical dose is high ."), Fakes.S("acetyl/B-Chemical salicylic/I-Chemical acid/I-Chemical binds p53/B-Protein .")]);
        var r = (await CorpusTranslator.TranslateAsync(corpus, new Translator(backend, Fakes.Options()))).Report;
        Assert.Equal(3, r.EntitiesDropped);
        Assert.Equal([new DroppedEntity(0, 0, "Chemical", "aspirin", "MissingMarker"), new DroppedEntity(1, 0, "Chemical", "acetyl salicylic acid", "MissingMarker"),
            new DroppedEntity(1, 1, "Protein", "p53", "MissingMarker")], r.DroppedEntities);
        Assert.Contains("\"dropped_entities\"", r.ToJson());
    }

    [Fact]
    public async Task TranslateAsync_XmlAwareBackend_EscapesAndUnescapes()
    {
        var backend = new FakeBackend(Fakes.Spanish) { XmlAware = true };
        var corpus = new Corpus([Fakes.S("p < 0.05 for aspirin/B-Chemical")]);
        var result = await CorpusTranslator.TranslateAsync(corpus, new Translator(backend, Fakes.Options()),
            new ProjectionOptions { MarkerStyle = MarkerStyle.Xml });
        Assert.Equal("p &lt; 0.05 for <Chemical>aspirina</Chemical>", Fakes.Spanish(backend.Seen[0]));
        Assert.Equal("p < 0 . 05 for aspirina/B-Chemical", Rendered(result, 0));
    }

    [Fact]
    public async Task TranslateAsync_Align_TranslatesEntitiesApartAndDropsMissing()
    {
        var corpus = new Corpus(
        [
            Fakes.S("The aspirin/B-Chemical dose is high ."),
            Fakes.S("The linolenic/B-Chemical acid/I-Chemical reduces inflammation ."),
            Fakes.S("HeLa/B-Cell cells/I-Cell and aspirin/B-Chemical"),
        ]);
        // The lone entity "linolenic acid" comes back capitalised and accent-free: found at the accent-insensitive level.
        var backend = new FakeBackend(t => t == "linolenic acid" ? "Linolenico Acido" : t == "HeLa cells" ? "células HeLa" : Fakes.Spanish(t));
        var result = await CorpusTranslator.TranslateAsync(corpus, new Translator(backend, Fakes.Options()),
            new ProjectionOptions { Method = ProjectionMethod.Align });
        Assert.Contains("aspirin", backend.Seen);
        Assert.Equal(2, result.Corpus.Sentences.Count);
        Assert.Equal("La aspirina/B-Chemical dosis es alta .", Rendered(result, 0));
        Assert.Equal("La linolénico/B-Chemical ácido/I-Chemical reduce inflamación .", Rendered(result, 1));
        var r = result.Report;
        Assert.Equal("align", r.Projection);
        Assert.Equal(1, r.SentenceDrops["EntityNotFound"]);
        Assert.Equal((1, 1), (r.EntityDrops["EntityNotFound"], r.EntityDrops["SentenceDropped"]));
        Assert.Equal((1, 0, 1), (r.Types["Cell"].Source, r.Types["Cell"].Projected, r.Types["Cell"].Dropped));
    }

    [Fact]
    public async Task Report_JsonAndTable_HoldTheCounts()
    {
        var corpus = new Corpus([Fakes.S("Take aspirin/B-Chemical ."), Fakes.S("The aspirin/B-Chemical dose .")]);
        var backend = new FakeBackend(t => Fakes.Spanish(t).Replace(" ]", ""));
        var report = (await CorpusTranslator.TranslateAsync(corpus, new Translator(backend, Fakes.Options()))).Report;
        using var json = JsonDocument.Parse(report.ToJson());
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("sentences_kept").GetInt32());
        Assert.Equal(1, root.GetProperty("sentences_repaired").GetInt32());
        Assert.Equal(1, root.GetProperty("repairs").GetProperty("MissingCloseAtEnd").GetInt32());
        Assert.Equal(1, root.GetProperty("types").GetProperty("Chemical").GetProperty("repaired").GetInt32());
        Assert.Equal("The [Chemical| aspirin ] dose.", root.GetProperty("examples")[0].GetProperty("sent").GetString());
        string table = report.ToTable();
        Assert.Contains("sentences: 2 in, 1 kept (1 repaired), 1 dropped", table);
        Assert.Matches(@"Chemical\s+2\s+1\s+1\s+1\s+50\.0", table);
    }

    [Fact]
    public async Task TranslateAsync_XmlStyleWithUnwritableType_Throws()
    {
        var corpus = new Corpus([Fakes.S("x/B-GO:CC")]);
        await Assert.ThrowsAsync<BioNerException>(() => CorpusTranslator.TranslateAsync(corpus,
            new Translator(new FakeBackend(t => t), Fakes.Options()), new ProjectionOptions { MarkerStyle = MarkerStyle.Xml }));
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(16, -1.0)]
    [InlineData(16, double.NaN)]
    public void Translator_BadOptions_ThrowNamingOption(int batch, double rps)
    {
        var e = Assert.Throws<BioNerException>(() => new Translator(new FakeBackend(t => t), Fakes.Options(batch) with { MaxRequestsPerSecond = rps }));
        Assert.Matches("--batch|--max-rps", e.Message);
    }
}
