using BioNer.Data;

namespace BioNer.Tests.Data;

public class CorpusIOTests
{
    [Theory]
    [InlineData("train.conll", CorpusFormat.Conll)]
    [InlineData("train.tsv", CorpusFormat.Conll)]
    [InlineData("x.iob", CorpusFormat.Conll)]
    [InlineData("x.BIO", CorpusFormat.Conll)]
    [InlineData("x.txt", CorpusFormat.Conll)]
    [InlineData("x.jsonl", CorpusFormat.Jsonl)]
    [InlineData("x.json", CorpusFormat.Jsonl)]
    [InlineData("x.ann", CorpusFormat.Brat)]
    [InlineData("outdir", CorpusFormat.Brat)]
    public void DetectFormat_Extension_PicksFormat(string path, CorpusFormat expected) =>
        Assert.Equal(expected, CorpusIO.DetectFormat(path));

    [Fact]
    public void DetectFormat_UnknownExtension_Throws() =>
        Assert.Throws<BioNerException>(() => CorpusIO.DetectFormat("x.xlsx"));

    [Fact]
    public void DetectFormat_TxtWithAnnSibling_IsBrat()
    {
        using var dir = new TempDir();
        dir.Write("d.ann", "");
        Assert.Equal(CorpusFormat.Brat, CorpusIO.DetectFormat(dir.Write("d.txt", "text")));
    }

    [Theory]
    [InlineData("c.conll")]
    [InlineData("c.jsonl")]
    [InlineData("brat")]
    public void WriteThenRead_EachFormat_KeepsWordsAndLabels(string name)
    {
        var corpus = new Corpus(
        [
            new Sentence(["Aspirin", "blocks", "COX", "-", "2", "."], ["B-Chemical", "O", "B-Protein", "I-Protein", "I-Protein", "O"]) { DocumentId = "d1" },
            new Sentence(["Fine", "."], ["O", "O"]) { DocumentId = "d1" },
        ]);
        using var dir = new TempDir();
        string path = dir.File(name);
        CorpusIO.Write(corpus, path);
        var back = CorpusIO.Read(path);
        Assert.Equal(corpus.Sentences.Select(s => s.Words), back.Sentences.Select(s => s.Words));
        Assert.Equal(corpus.Sentences.Select(s => s.Labels), back.Sentences.Select(s => s.Labels));
        Assert.Equal(["Chemical", "Protein"], back.EntityTypes());
    }

    [Theory]
    [InlineData("bio", TaggingScheme.IOB2)]
    [InlineData("IOBES", TaggingScheme.IOBES)]
    [InlineData("bilou", TaggingScheme.BILOU)]
    [InlineData("ioe1", TaggingScheme.IOE1)]
    public void ParseScheme_Name_Parses(string name, TaggingScheme expected) =>
        Assert.Equal(expected, CorpusIO.ParseScheme(name));

    [Theory]
    [InlineData("1")]
    [InlineData("BIOLU")]
    public void ParseScheme_Unknown_Throws(string name) =>
        Assert.Throws<BioNerException>(() => CorpusIO.ParseScheme(name));
}
