using BioNer.Data;
using BioNer.Translation;
using static BioNer.Tests.Translation.Fakes;

namespace BioNer.Tests.Translation;

public class MarkerParserTests
{
    private static readonly string[] Known = ["Chemical", "Protein", "Cell"];

    private const string Mid = "The aspirin/B-Chemical dose is high .";
    private const string End = "Take aspirin/B-Chemical .";
    private const string Two = "aspirin/B-Chemical binds p53/B-Protein .";

    private static ProjectionResult Parse(string source, string translation, MarkerStyle style = MarkerStyle.Brackets, bool escaped = false) =>
        MarkerParser.Parse(translation, MarkerContext.For(S(source), Known, style, escaped));

    [Theory]
    // clean round trips
    [InlineData(Mid, "La [Chemical| aspirina ] dosis es alta .", "La aspirina/B-Chemical dosis es alta .", "")]
    [InlineData("aspirin/B-Chemical ibuprofen/B-Chemical", "[Chemical| aspirina ] [Chemical| ibuprofeno ]", "aspirina/B-Chemical ibuprofeno/B-Chemical", "")]
    [InlineData("acetyl/B-Chemical salicylic/I-Chemical acid/I-Chemical", "[Chemical| ácido acetilsalicílico ]", "ácido/B-Chemical acetilsalicílico/I-Chemical", "")]
    // reordered markers with distinct types: each is read on its own
    [InlineData(Two, "[Protein| p53 ] une [Chemical| aspirina ] .", "p53/B-Protein une aspirina/B-Chemical .", "")]
    // markers glued to words: the words are split at the marker
    [InlineData(Mid, "La [Chemical|aspirina]dosis", "La aspirina/B-Chemical dosis", "")]
    // repairs
    [InlineData(Mid, "La [ Chemical | aspirina ] dosis", "La aspirina/B-Chemical dosis", "MarkerWhitespace")]
    [InlineData(Mid, "LA [CHEMICAL| ASPIRINA ] DOSIS", "LA ASPIRINA/B-Chemical DOSIS", "TypeCase")]
    [InlineData(Mid, "La [Chemical| [Chemical| aspirina ] dosis", "La aspirina/B-Chemical dosis", "DuplicateMarker")]
    [InlineData(Mid, "La [Chemical| aspirina ] ] dosis", "La aspirina/B-Chemical dosis", "DuplicateMarker")]
    [InlineData(End, "Tome [Chemical| aspirina.", "Tome aspirina/B-Chemical .", "MissingCloseAtEnd")]
    [InlineData(End, "Tome [Chemical| aspirina", "Tome aspirina/B-Chemical", "MissingCloseAtEnd")]
    [InlineData(End, "Tome [ chemical| aspirina .", "Tome aspirina/B-Chemical .", "MarkerWhitespace,TypeCase,MissingCloseAtEnd")]
    // brackets that belong to the text
    [InlineData("[/B-Chemical 3H/I-Chemical ]/I-Chemical thymidine/I-Chemical", "la [Chemical| [3H] timidina ]", "la [/B-Chemical 3H/I-Chemical ]/I-Chemical timidina/I-Chemical", "")]
    public void Parse_Brackets_KeepsOrRepairs(string source, string translation, string expected, string repairs)
    {
        var result = Parse(source, translation);
        Assert.True(result.Kept, $"{result.Drop}: {result.Detail}");
        Assert.Equal(expected, Render(result.Words, result.Labels));
        Assert.Equal(repairs, string.Join(',', result.Repairs));
    }

    [Theory]
    [InlineData(Mid, "La aspirina dosis es alta .", ProjectionDrop.MissingMarker)]
    [InlineData(Mid, "La [Chemical| aspirina dosis es alta .", ProjectionDrop.UnbalancedMarkers)] // not at the end: where did it close?
    [InlineData(Two, "[Chemical| aspirina une [Protein| p53 ] .", ProjectionDrop.NestedMarkers)]
    [InlineData(Two, "[Chemical| aspirina ] une p53 ] .", ProjectionDrop.UnbalancedMarkers)]
    [InlineData(Two, "[Chemical| aspirina ] une [Protein| p53 .", ProjectionDrop.UnbalancedMarkers)] // two entities: no guessing
    [InlineData(Two, "[Chemical| aspirina ] une [Chemical| p53 ] .", ProjectionDrop.TypeMismatch)]
    [InlineData(Mid, "La [Chemical| aspirina ] y [Chemical| dosis ]", ProjectionDrop.ExtraMarker)]
    [InlineData(Mid, "La [Químico| aspirina ] dosis", ProjectionDrop.UnknownType)]
    [InlineData(Mid, "La ] [Chemical| aspirina ] dosis", ProjectionDrop.UnbalancedMarkers)]
    [InlineData(Mid, "La [Chemical| ] dosis aspirina", ProjectionDrop.EmptyEntity)]
    [InlineData(Mid, "   ", ProjectionDrop.EmptyTranslation)]
    [InlineData("no entities here", "[Chemical| nada ]", ProjectionDrop.ExtraMarker)]
    public void Parse_BrokenBrackets_DropsWithReason(string source, string translation, ProjectionDrop expected)
    {
        var result = Parse(source, translation);
        Assert.False(result.Kept);
        Assert.Equal(expected, result.Drop);
        Assert.Empty(result.Words);
        Assert.All(result.DroppedEntities, d => Assert.Equal(expected, d.Reason));
        Assert.Equal(S(source).Labels.Count(l => l.StartsWith("B-")), result.DroppedEntities.Count);
    }

    [Theory]
    [InlineData("La <Chemical>aspirina</Chemical> dosis", "La aspirina/B-Chemical dosis", "")]
    [InlineData("La < Chemical >aspirina</ Chemical > dosis", "La aspirina/B-Chemical dosis", "MarkerWhitespace")]
    [InlineData("La <chemical>aspirina</chemical> dosis", "La aspirina/B-Chemical dosis", "TypeCase")]
    [InlineData("La <Chemical>aspirina</Chemical></Chemical> dosis", "La aspirina/B-Chemical dosis", "DuplicateMarker")]
    public void Parse_Xml_KeepsOrRepairs(string translation, string expected, string repairs)
    {
        var result = Parse(Mid, translation, MarkerStyle.Xml);
        Assert.True(result.Kept, $"{result.Drop}: {result.Detail}");
        Assert.Equal(expected, Render(result.Words, result.Labels));
        Assert.Equal(repairs, string.Join(',', result.Repairs));
    }

    [Theory]
    [InlineData("La <Chemical>aspirina</Protein> dosis", ProjectionDrop.UnbalancedMarkers)]
    [InlineData("La <Chemical>aspirina dosis", ProjectionDrop.UnbalancedMarkers)]
    [InlineData("La <Químico>aspirina</Químico> dosis", ProjectionDrop.UnknownType)]
    [InlineData("La aspirina</Chemical> dosis", ProjectionDrop.UnbalancedMarkers)]
    public void Parse_BrokenXml_Drops(string translation, ProjectionDrop expected) =>
        Assert.Equal(expected, Parse(Mid, translation, MarkerStyle.Xml).Drop);

    [Fact]
    public void Parse_XmlEscaped_UnescapesText()
    {
        var result = Parse("p < 0.05 for aspirin/B-Chemical", "p &lt; 0,05 para <Chemical>aspirina</Chemical>", MarkerStyle.Xml, escaped: true);
        Assert.Equal("p < 0 , 05 para aspirina/B-Chemical", Render(result.Words, result.Labels));
    }

    [Fact]
    public void Parse_Unicode_AccentsGreekAndEmojiSurvive()
    {
        var source = S("The α/B-Chemical -/I-Chemical linolenic/I-Chemical acid/I-Chemical 🧪 reduces inflammation/B-Cell");
        var result = MarkerParser.Parse("El [Chemical| ácido α-linolénico ] 🧪 reduce la [Cell| inflamación ] 👩‍🔬",
            MarkerContext.For(source, Known, MarkerStyle.Brackets, false));
        Assert.True(result.Kept, result.Detail);
        Assert.Equal("El ácido/B-Chemical α/I-Chemical -/I-Chemical linolénico/I-Chemical 🧪 reduce la inflamación/B-Cell 👩‍🔬",
            Render(result.Words, result.Labels));
    }

    [Fact]
    public void Encode_ThenParseIdentity_RoundTripsWordsAndLabels()
    {
        var source = S("( aspirin/B-Chemical ) blocks COX/B-Protein -/I-Protein 2/I-Protein in HeLa/B-Cell cells/I-Cell .");
        foreach (var style in new[] { MarkerStyle.Brackets, MarkerStyle.Xml })
        {
            string sent = Markers.Encode(source, style);
            var result = MarkerParser.Parse(sent, MarkerContext.For(source, Known, style, false));
            Assert.Equal(source.Words, result.Words);
            Assert.Equal(source.Labels, result.Labels);
        }
        Assert.Equal("([Chemical| aspirin ]) blocks [Protein| COX - 2 ] in [Cell| HeLa cells ].", Markers.Encode(source, MarkerStyle.Brackets));
    }

    [Fact]
    public void Encode_WithOffsets_KeepsOriginalSpacing()
    {
        var s = new Sentence(["IL", "-", "2", "binds", "."], ["B-Protein", "I-Protein", "I-Protein", "O", "O"])
        {
            Offsets = [(10, 12), (12, 13), (13, 14), (15, 20), (20, 21)],
        };
        Assert.Equal("<Protein>IL-2</Protein> binds.", Markers.Encode(s, MarkerStyle.Xml));
        Assert.Equal("IL-2 binds.", Markers.Join(s));
    }

    [Fact]
    public void Encode_XmlEscape_EscapesSpecialCharacters() =>
        Assert.Equal("p &lt; 0.05 <Chemical>A&amp;B</Chemical>", Markers.Encode(S("p < 0.05 A&B/B-Chemical"), MarkerStyle.Xml, escapeXml: true));

    [Theory]
    [InlineData("Gene or protein", MarkerStyle.Xml)]
    [InlineData("GO:CC", MarkerStyle.Xml)]
    [InlineData("a|b", MarkerStyle.Brackets)]
    public void CheckTypes_UnwritableType_Throws(string type, MarkerStyle style) =>
        Assert.Throws<BioNerException>(() => Markers.CheckTypes([type], style));
}
