using BioNer.Augmentation;
using BioNer.Data;

namespace BioNer.Tests.Augmentation;

public class TermLexiconTests
{
    private static string[][] Words(TermLexicon lex, string tag) => lex.Terms(tag).Select(t => t.ToArray()).ToArray();

    [Theory]
    [InlineData("alpha-D-glucose (2)", "alpha|-|D|-|glucose|(|2|)")]
    [InlineData("  IL2  receptor\t", "IL2|receptor")]
    [InlineData("Na+/K+-ATPase", "Na|+|/|K|+|-|ATPase")]
    [InlineData("", "")]
    public void Add_DefaultTokenizer_SplitsLikeTheCorpus(string text, string expected)
    {
        var lex = new TermLexicon();
        Assert.Equal(expected.Length > 0, lex.Add("X", text));
        Assert.Equal(expected.Length == 0 ? [] : [expected.Split('|')], Words(lex, "X"));
    }

    [Fact]
    public void AddObo_DefaultFilter_NamesAndExactSynonymsOnly()
    {
        var lex = new TermLexicon();
        lex.AddObo("Chemical", AugTestData.Fixture("mini.obo"), OboFilter.Parse("CHEBI:"));
        var terms = lex.Terms("Chemical").Select(t => string.Join(" ", t)).ToList();
        Assert.Equal(["glucose", "dextrose", "grape \" sugar \"", "water", "H2O", "oxidane", "ethanol", "ethyl alcohol"], terms);
    }

    [Fact]
    public void AddObo_RelatedScope_AddsRelatedSynonyms()
    {
        var lex = new TermLexicon();
        lex.AddObo("Chemical", AugTestData.Fixture("mini.obo"), OboFilter.Parse("CHEBI:,scopes=EXACT+RELATED"));
        Assert.True(lex.Contains("Chemical", ["Glc"]));
        Assert.False(lex.Contains("Chemical", ["aqua"]));
    }

    [Fact]
    public void Synonyms_MentionCaseInsensitive_ReturnsOtherNamesOfSameConcept()
    {
        var lex = new TermLexicon();
        lex.AddObo("Gene", AugTestData.Fixture("mini.obo"), OboFilter.Parse("cellular_component"));
        var syn = lex.Synonyms("Gene", ["Mitochondrion"]);
        Assert.Equal([["mitochondria"]], syn.Select(t => t.ToArray()));
        Assert.Equal([["cell", "nucleus"]], lex.Synonyms("Gene", ["nucleus"]).Select(t => t.ToArray()));
        Assert.Empty(lex.Synonyms("Gene", ["membrane"]));
        Assert.Empty(lex.Synonyms("Chemical", ["nucleus"]));
    }

    [Fact]
    public void AddList_CommentsBlanksDuplicates_Skipped()
    {
        var lex = new TermLexicon();
        int added = lex.AddList("Chemical", AugTestData.Fixture("lists", "Chemical.txt"));
        Assert.Equal(3, added);
        Assert.Equal([["glucose"], ["sodium", "chloride"], ["alpha", "-", "D", "-", "glucose"]], Words(lex, "Chemical"));
    }

    [Fact]
    public void AddSource_FolderHarvestAndObo_FillTags()
    {
        var corpus = new Corpus([AugTestData.S("the HeLa cell line", "O B-Cell I-Cell O")], "c.conll");
        var lex = new TermLexicon();
        lex.AddSource(AugTestData.Fixture("lists"));
        lex.AddSource("harvest", corpus);
        lex.AddSource($"Gene={AugTestData.Fixture("mini.obo")}:subtree=GO:0043226");
        Assert.Equal(["Cell", "Chemical", "Gene"], lex.Tags);
        Assert.Equal([["T", "cell"], ["fibroblast"], ["HeLa", "cell"]], Words(lex, "Cell"));
        Assert.Equal(5, lex.Terms("Gene").Count); // organelle, nucleus, cell nucleus, mitochondrion, mitochondria
    }

    [Theory]
    [InlineData("Chemical=/nonexistent/list.txt")]
    [InlineData("/nonexistent/folder")]
    [InlineData("=x.txt")]
    [InlineData("harvest")]
    public void AddSource_BadSpec_Throws(string spec) =>
        Assert.Throws<BioNerException>(() => new TermLexicon().AddSource(spec));

    [Fact]
    public void AddWords_CustomTokenizer_IsUsedForText()
    {
        var lex = new TermLexicon(t => t.Split('_'));
        lex.Add("X", "a_b");
        Assert.Equal([["a", "b"]], Words(lex, "X"));
    }
}
