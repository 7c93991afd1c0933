using BioNer.Augmentation;

namespace BioNer.Tests.Augmentation;

public class OboReaderTests
{
    private static readonly IReadOnlyList<OboTerm> Mini = OboReader.Read(AugTestData.Fixture("mini.obo"));

    private static OboTerm Term(string id) => Mini.Single(t => t.Id == id);

    [Fact]
    public void Read_CrlfFixture_ReturnsTermStanzasOnlyInFileOrder()
    {
        Assert.Equal(12, Mini.Count);
        Assert.Equal("GO:0005575", Mini[0].Id);
        Assert.DoesNotContain(Mini, t => t.Id == "part_of");
        Assert.All(Mini, t => Assert.DoesNotContain('\r', t.Name!));
    }

    [Fact]
    public void Read_SynonymLines_KeepTextAndScope()
    {
        var water = Term("CHEBI:15377");
        Assert.Equal("water", water.Name);
        Assert.Equal([new OboSynonym("H2O", "EXACT"), new OboSynonym("oxidane", "EXACT"), new OboSynonym("aqua", "BROAD")], water.Synonyms);
        Assert.Equal([new OboSynonym("ethyl alcohol", "EXACT")], Term("CHEBI:16236").Synonyms);
    }

    [Fact]
    public void Read_EscapedQuotesAndTrailingComment_Unescaped()
    {
        Assert.Contains(new OboSynonym("grape \"sugar\"", "EXACT"), Term("CHEBI:17234").Synonyms);
    }

    [Fact]
    public void Read_IsAWithComment_KeepsParentIdOnly()
    {
        Assert.Equal(["GO:0043226"], Term("GO:0005634").IsA);
        Assert.Equal("cellular_component", Term("GO:0005634").Namespace);
    }

    [Fact]
    public void Read_ObsoleteTerm_FlaggedAndFilteredOut()
    {
        Assert.True(Term("CHEBI:99999").IsObsolete);
        Assert.DoesNotContain(OboFilter.All.Apply(Mini), t => t.IsObsolete);
        Assert.Equal(10, OboFilter.All.Apply(Mini).Count());
    }

    [Fact]
    public void Read_MalformedLine_ThrowsWithFileAndLine()
    {
        string path = AugTestData.Fixture("malformed.obo");
        var e = Assert.Throws<BioNerException>(() => OboReader.Read(path));
        Assert.Equal(9, e.Line);
        Assert.StartsWith($"{path}:9:", e.Message);
    }

    [Theory]
    [InlineData("[Term]\nid: X:1\nsynonym: \"open quote EXACT []\n", 3, "unterminated")]
    [InlineData("[Term]\nname: no id\n", 1, "no id")]
    [InlineData("[Term]\nid: X:1\nsynonym: \"a\" SIMILAR []\n", 3, "scope")]
    [InlineData("[Term]\nid: X:1\nsynonym: unquoted EXACT []\n", 3, "quoted")]
    [InlineData("[Term\nid: X:1\n", 1, "stanza header")]
    [InlineData("[Term]\nid: X:1\nid: X:2\n", 3, "second id")]
    public void Read_BadStanza_ThrowsAtLine(string text, int line, string fragment)
    {
        var e = Assert.Throws<BioNerException>(() => OboReader.Read(new StringReader(text), "t.obo"));
        Assert.Equal(line, e.Line);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void Read_DuplicateIds_MergedIntoOneTerm()
    {
        var terms = OboReader.Read(new StringReader("[Term]\nid: X:1\nname: a\n\n[Term]\nid: X:1\nsynonym: \"b\" EXACT []\n"), "t.obo");
        var t = Assert.Single(terms);
        Assert.Equal("a", t.Name);
        Assert.Equal("b", Assert.Single(t.Synonyms).Text);
    }

    [Fact]
    public void Filter_Namespace_KeepsOnlyThatNamespace()
    {
        var ids = OboFilter.Parse("cellular_component").Apply(Mini).Select(t => t.Id);
        Assert.Equal(["GO:0005575", "GO:0043226", "GO:0005634", "GO:0005739", "GO:0016020"], ids);
    }

    [Fact]
    public void Filter_Subtree_KeepsRootAndIsADescendants()
    {
        var ids = OboFilter.Parse("subtree=GO:0043226").Apply(Mini).Select(t => t.Id);
        Assert.Equal(["GO:0043226", "GO:0005634", "GO:0005739"], ids);
    }

    [Fact]
    public void Filter_PrefixShorthand_KeepsChebiNonObsolete()
    {
        var ids = OboFilter.Parse("CHEBI:").Apply(Mini).Select(t => t.Id);
        Assert.Equal(["CHEBI:17234", "CHEBI:15377", "CHEBI:16236"], ids);
    }

    [Fact]
    public void Filter_CombinedConditionsAndScopes_Parsed()
    {
        var f = OboFilter.Parse("GO:0005575,namespace=cellular_component,scopes=exact+narrow");
        Assert.Equal("GO:0005575", f.SubtreeRoot);
        Assert.Equal("cellular_component", f.Namespace);
        Assert.True(f.SynonymScopes.SetEquals(["EXACT", "NARROW"]));
    }

    [Theory]
    [InlineData("colour=red")]
    [InlineData("scopes=EXACT+SIMILAR")]
    [InlineData("prefix=")]
    public void Filter_BadSpec_Throws(string spec) => Assert.Throws<BioNerException>(() => OboFilter.Parse(spec));

    [Fact]
    public void Filter_MissingSubtreeRoot_ThrowsNamingRoot()
    {
        var e = Assert.Throws<BioNerException>(() => OboFilter.Parse("GO:9999999").Apply(Mini, "mini.obo").ToList());
        Assert.Contains("GO:9999999", e.Message);
    }
}
