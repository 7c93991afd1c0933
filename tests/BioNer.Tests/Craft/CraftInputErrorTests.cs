using BioNer.Data.Craft;

namespace BioNer.Tests.Craft;

public sealed class CraftInputErrorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "bioner-craft-" + Guid.NewGuid().ToString("N"));

    public CraftInputErrorTests()
    {
        foreach (string file in Directory.EnumerateFiles(CraftConverterTests.Mini, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(_dir, Path.GetRelativePath(CraftConverterTests.Mini, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Annotation(string ontology, string doc) =>
        Path.Combine(_dir, "concept-annotation", ontology, ontology, "knowtator", doc + ".txt.knowtator.xml");

    [Fact]
    public void Convert_MalformedXml_ThrowsWithFileAndLine()
    {
        string path = Annotation("SO", "11111111");
        File.WriteAllText(path, "<annotations>\n  <annotation>\n    <span start=\"1\" end=\"2\">\n</annotations>\n");
        var e = Assert.Throws<BioNerException>(() => new CraftConverter().Convert(_dir));
        Assert.Equal(path, e.File);
        Assert.Equal(4, e.Line);
        Assert.Contains("malformed Knowtator XML", e.Message);
    }

    [Theory]
    [InlineData("<span start=\"9\" end=\"3\" />", "integer start < end")]
    [InlineData("<span start=\"x\" end=\"3\" />", "integer start < end")]
    [InlineData("<span start=\"1\" end=\"99999\" />", "beyond the article text")]
    public void Convert_BadSpan_ThrowsNamingTheLine(string span, string expected)
    {
        string path = Annotation("GO_CC", "22222222");
        File.WriteAllText(path, $"""
            <annotations>
              <annotation>
                <mention id="m1" />
                {span}
              </annotation>
              <classMention id="m1"><mentionClass id="GO:1">x</mentionClass></classMention>
            </annotations>
            """);
        var e = Assert.Throws<BioNerException>(() => new CraftConverter().Convert(_dir));
        Assert.Equal(path, e.File);
        Assert.Contains(expected, e.Message);
        Assert.InRange(e.Line ?? 0, 2, 4);
    }

    [Fact]
    public void Read_AnnotationWithoutClassMention_Throws()
    {
        string path = Annotation("GO_CC", "22222222");
        File.WriteAllText(path, "<annotations>\n<annotation><mention id=\"m9\" /><span start=\"0\" end=\"2\" /></annotation>\n</annotations>");
        var e = Assert.Throws<BioNerException>(() => KnowtatorReader.Read(path));
        Assert.Contains("m9", e.Message);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void Convert_ConlluDisagreesWithText_Throws()
    {
        string conllu = Path.Combine(_dir, "structural-annotation", "dependency", "conllu", "11111111.conllu");
        File.WriteAllText(conllu, "1\tPax6\t_\n2\tnonsense\t_\n");
        var e = Assert.Throws<BioNerException>(() => new CraftConverter().Convert(_dir));
        Assert.Equal((conllu, 2), (e.File, e.Line));
    }

    [Fact]
    public void SplitIds_NoSplitFiles_FallsBackDeterministically()
    {
        Directory.Delete(Path.Combine(_dir, "articles", "ids"), recursive: true);
        for (int i = 0; i < 10; i++) File.WriteAllText(Path.Combine(_dir, "articles", "txt", $"3000000{i}.txt"), "x");
        var (train, dev, test, official) = CraftConverter.SplitIds(_dir);
        Assert.False(official);
        Assert.Equal(10, train.Count);
        Assert.Equal(["30000006"], dev); // ids sorted: 11111111, 22222222, 30000000, ... (index 8)
        Assert.Equal(["30000007"], test);
        Assert.Equal(["11111111", "22222222"], train.Take(2));
    }

    [Fact]
    public void SplitIds_ListedArticleMissing_ThrowsWithLine()
    {
        string ids = Path.Combine(_dir, "articles", "ids", "craft-ids-dev.txt");
        File.WriteAllText(ids, "22222222\n\n99999999\n");
        var e = Assert.Throws<BioNerException>(() => CraftConverter.SplitIds(_dir));
        Assert.Equal((ids, 3), (e.File, e.Line));
    }
}
