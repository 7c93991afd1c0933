using BioNer.Translation;
using static BioNer.Tests.Translation.Fakes;

namespace BioNer.Tests.Translation;

/// <summary>Word-bound marker projection on answers shaped like Apertium 3.8's (taken from real eng-spa output on CRAFT).</summary>
public class WordBoundParserTests
{
    private static readonly string[] Known = ["Cell", "Protein", "Sequence", "Taxon"];

    private static ProjectionResult Parse(string source, string translation) =>
        MarkerParser.Parse(translation, MarkerContext.For(S(source), Known, MarkerStyle.WordBound, false));

    [Fact]
    public void Encode_WordBound_NumbersEntitiesInOrder()
    {
        Assert.Equal("Loss of [[t:0]]KCNJ10[[/]] in [[t:1]]mouse brain cells[[/]].",
            Markers.Encode(S("Loss of KCNJ10/B-Protein in mouse/B-Cell brain/I-Cell cells/I-Cell ."), MarkerStyle.WordBound));
    }

    [Theory]
    // each piece carries its entity's blank; reordering inside an entity does not matter
    [InlineData("Loss of KCNJ10/B-Protein", "Pérdida de [[t:0]]KCNJ10[[/]]", "Pérdida de KCNJ10/B-Protein", "")]
    [InlineData("IL-2/B-Protein binds", "[[t:0]]IL[[/]][[t:0]]-[[/]][[t:0]]2[[/]] ata", "IL/B-Protein -/I-Protein 2/I-Protein ata", "")]
    // words the engine inserted between an entity's words join it
    [InlineData("in mouse/B-Cell brain/I-Cell cells/I-Cell", "en [[t:0]]celdas[[/]] de [[t:0]]cerebro[[/]] del [[t:0]]ratón[[/]]",
        "en celdas/B-Cell de/I-Cell cerebro/I-Cell del/I-Cell ratón/I-Cell", "WordsJoined")]
    // the same blank twice on one word is one blank
    [InlineData("of the cytoplasm/B-Cell", "[[t:0; t:0]]del[[/]] [[t:0]]citoplasma[[/]]", "del/B-Cell citoplasma/I-Cell", "")]
    // Apertium drops the blank of a lone symbol: found again by its rank among the copies of its words
    [InlineData("Brca2/B-Sequence +/B-Sequence / +/B-Sequence ES", "[[t:0]]Brca2[[/]] + / + ES", "Brca2/B-Sequence +/B-Sequence / +/B-Sequence ES", "UnmarkedCopy")]
    [InlineData("db + / +/B-Sequence 147", "db + / + 147", "db + / +/B-Sequence 147", "UnmarkedCopy")]
    public void Parse_WordBound_KeepsOrRepairs(string source, string translation, string expected, string repairs)
    {
        var result = Parse(source, translation);
        Assert.True(result.Kept, $"{result.Drop}: {result.Detail}");
        Assert.Equal(expected, Render(result.Words, result.Labels));
        Assert.Equal(repairs, string.Join(',', result.Repairs));
    }

    [Theory]
    // "leptin receptor gene" -> "leptin gen de receptor": the Protein's words surround the Sequence
    [InlineData("leptin/B-Protein receptor/I-Protein gene/B-Sequence", "[[t:0]]leptin[[/]] [[t:1]]gen[[/]] de [[t:0]]receptor[[/]]", ProjectionDrop.NestedMarkers)]
    [InlineData("carbonic/B-Protein anhydrase/I-Protein gene/B-Sequence", "[[t:0; t:1]]gen[[/]]", ProjectionDrop.NestedMarkers)]
    [InlineData("mice/B-Taxon lacking Pax6/B-Protein", "[[t:0]]ratones[[/]] que carecen de Pax7", ProjectionDrop.MissingMarker)]
    [InlineData("mice/B-Taxon", "[[t:0]]ratones[[/]] [[t:1]]x[[/]]", ProjectionDrop.ExtraMarker)]
    [InlineData("mice/B-Taxon", "[[t:0]]ratones de", ProjectionDrop.UnbalancedMarkers)]
    [InlineData("mice/B-Taxon", "[[t:0]] [[/]] ratones", ProjectionDrop.MissingMarker)]
    // two copies of "+" in the translation, one in the source: no guessing
    [InlineData("+/B-Sequence / x", "+ / + x", ProjectionDrop.MissingMarker)]
    public void Parse_BrokenWordBound_DropsWithReason(string source, string translation, ProjectionDrop expected)
    {
        var result = Parse(source, translation);
        Assert.False(result.Kept);
        Assert.Equal(expected, result.Drop);
        Assert.Equal(S(source).Labels.Count(l => l.StartsWith("B-")), result.DroppedEntities.Count);
    }

    [Fact]
    public void Parse_LiteralDoubleBracketsInSource_StayText()
    {
        var result = Parse("degeneration/B-Cell [ [ 81 ] ]", "[[t:0]]degeneración[[/]] [[81]]");
        Assert.True(result.Kept, $"{result.Drop}: {result.Detail}");
        Assert.Equal("degeneración/B-Cell [ [ 81 ] ]", Render(result.Words, result.Labels));
    }
}
