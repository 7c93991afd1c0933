using BioNer.Data;

namespace BioNer.Tests.Data;

public class LabelMapTests
{
    private static string[] L(string s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [InlineData("CHEBI=Chemical,GGP=Protein,GO=-", "B-CHEBI I-CHEBI B-GO I-GO O B-GGP", "B-Chemical I-Chemical O O O B-Protein")]
    [InlineData("GO=", "B-GO B-CL", "O B-CL")]
    [InlineData("A=X,B=X", "B-A B-B I-B O", "B-X B-X I-X O")]
    [InlineData("A=X, *=-", "B-A B-B I-B B-C", "B-X O O O")]
    [InlineData(" A = X ", "O I-A", "O B-X")]
    public void Apply_Spec_RenamesAndDropsKeepingIob2(string spec, string labels, string expected)
    {
        var mapped = LabelMap.Parse(spec).Apply(L(labels));
        Assert.Equal(L(expected), mapped);
        Assert.Empty(Schemes.Validate(mapped, TaggingScheme.IOB2));
    }

    [Theory]
    [InlineData("CHEBI", "'CHEBI'")]
    [InlineData("=Chemical", "'=Chemical'")]
    [InlineData("A=X,A=Y", "mapped twice")]
    [InlineData("*=X", "'*'")]
    [InlineData("A=New Name", "spaces")]
    public void Parse_BadSpec_ThrowsNamingEntry(string spec, string expected)
    {
        var e = Assert.Throws<BioNerException>(() => LabelMap.Parse(spec, "--label-map"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("--label-map", e.Message);
    }

    [Theory]
    [InlineData("CHEBI", "Chemical")]
    [InlineData("CL", "Cell")]
    [InlineData("GGP", "Protein")]
    [InlineData("GO", "Gene")]
    [InlineData("SO", "Sequence")]
    [InlineData("Taxon", "Taxon")]
    [InlineData("Other", "Other")]
    public void CraftIob_Default_MapsReferenceNames(string type, string expected) =>
        Assert.Equal(expected, LabelMap.CraftIob.MapType(type));

    [Fact]
    public void ToString_Parse_RoundTrips()
    {
        var map = LabelMap.Parse("A=X,B=-,*=-");
        var again = LabelMap.Parse(map.ToString());
        Assert.Equal(map.Mappings, again.Mappings);
        Assert.True(again.DropUnlisted);
    }

    [Fact]
    public void Apply_Corpus_KeepsWordsAndOffsets()
    {
        var s = new Sentence(["a", "b"], ["B-GO", "B-CHEBI"]) { Offsets = [(0, 1), (2, 3)], DocumentId = "d" };
        var c = LabelMap.CraftIob.Apply(new Corpus([s], "x"));
        Assert.Equal(["B-Gene", "B-Chemical"], c.Sentences[0].Labels);
        Assert.Equal(s.Offsets, c.Sentences[0].Offsets);
        Assert.Equal("d", c.Sentences[0].DocumentId);
    }
}
