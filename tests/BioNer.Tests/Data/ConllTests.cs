using System.Text;
using BioNer.Data;

namespace BioNer.Tests.Data;

public class ConllTests
{
    [Fact]
    public void Parse_DocstartTabsSpacesCrlfBom_ReadsSentences()
    {
        string text = "\uFEFF-DOCSTART- -X- -X- O\r\n\r\nAspirin\tB-Chemical\r\nworks  O\r\n\r\n\r\nIL-2 \t B-Protein\r\n"
            + "-DOCSTART- pmid42\r\nTNF\tB-Protein\r\n";
        var c = ConllReader.Parse(text, "t.conll").Corpus;
        Assert.Equal(3, c.Sentences.Count);
        Assert.Equal(["Aspirin", "works"], c.Sentences[0].Words);
        Assert.Equal(["B-Chemical", "O"], c.Sentences[0].Labels);
        Assert.Equal("doc1", c.Sentences[0].DocumentId);
        Assert.Equal(3, c.Sentences[0].SourceLine);
        Assert.Equal(["IL-2"], c.Sentences[1].Words);
        Assert.Equal("doc1", c.Sentences[1].DocumentId);
        Assert.Equal("pmid42", c.Sentences[2].DocumentId);
        Assert.Equal(["B-Protein"], c.Sentences[2].Labels);
    }

    [Fact]
    public void Read_WrongColumnCount_ThrowsWithFileAndLine()
    {
        using var dir = new TempDir();
        string path = dir.Write("bad.conll", "a\tNN\tO\nb\tNN\tO\n\nc\tO\n");
        var e = Assert.Throws<BioNerException>(() => ConllReader.Read(path));
        Assert.Equal(4, e.Line);
        Assert.Equal(path, e.File);
        Assert.Contains("2 columns", e.Message);
        Assert.StartsWith($"{path}:4:", e.Message);
    }

    [Fact]
    public void Read_InvalidUtf8_ThrowsNamingLine()
    {
        using var dir = new TempDir();
        var bytes = Encoding.UTF8.GetBytes("ok\tO\n").Concat(new byte[] { 0x62, 0xFF, 0x09, 0x4F, 0x0A }).ToArray();
        string path = dir.WriteBytes("bad.conll", bytes);
        var e = Assert.Throws<BioNerException>(() => ConllReader.Read(path));
        Assert.Equal(2, e.Line);
        Assert.Contains("not valid UTF-8", e.Message);
        Assert.Contains("0xFF", e.Message);
    }

    [Theory]
    [InlineData(-1, "B-ORG")]
    [InlineData(3, "B-ORG")]
    [InlineData(2, "B-NP")]
    public void Parse_LabelColumn_PicksColumn(int column, string expected)
    {
        var c = ConllReader.Parse("EU NNP B-NP B-ORG\nrejects VBZ B-VP O\n", null, new ReadOptions { LabelColumn = column }).Corpus;
        Assert.Equal(expected, c.Sentences[0].Labels[0]);
    }

    [Fact]
    public void Parse_LabelColumnOutOfRange_Throws()
    {
        var e = Assert.Throws<BioNerException>(() => ConllReader.Parse("a O\n", "f", new ReadOptions { LabelColumn = 5 }));
        Assert.Equal(1, e.Line);
    }

    [Fact]
    public void Parse_Iob1Detected_ConvertedToIob2()
    {
        var r = ConllReader.Parse("a I-X\nb I-X\nc B-X\nd O\ne I-Y\n", "f");
        Assert.Equal(TaggingScheme.IOB1, r.Report.Scheme);
        Assert.True(r.Report.SchemeDetected);
        Assert.Equal(["B-X", "I-X", "B-X", "O", "B-Y"], r.Corpus.Sentences[0].Labels);
    }

    [Fact]
    public void Parse_OrphanInExplicitIob2_ThrowsWithWordLine()
    {
        var e = Assert.Throws<BioNerException>(() =>
            ConllReader.Parse("x O\n\na O\nb I-X\n", "f.conll", new ReadOptions { Scheme = TaggingScheme.IOB2 }));
        Assert.Equal(4, e.Line);
        Assert.Contains("'b'", e.Message);
    }

    [Fact]
    public void Parse_MalformedLabel_ThrowsEvenWhenLenient()
    {
        var e = Assert.Throws<BioNerException>(() => ConllReader.Parse("a O\nb X-Foo\n", "f", new ReadOptions { Lenient = true }));
        Assert.Equal(2, e.Line);
        Assert.Contains("X-Foo", e.Message);
    }

    [Fact]
    public void Parse_Lenient_RepairsAndCounts()
    {
        var r = ConllReader.Parse("a B-X\nb I-Y\n", "f", new ReadOptions { Lenient = true, Scheme = TaggingScheme.IOB2 });
        Assert.Equal(["B-X", "B-Y"], r.Corpus.Sentences[0].Labels);
        Assert.Equal(1, r.Report.RepairedSentences);
    }

    [Fact]
    public void Parse_RawLabels_KeepsThem()
    {
        var c = ConllReader.Parse("a S-X\nb O\n", "f", new ReadOptions { RawLabels = true }).Corpus;
        Assert.Equal(["S-X", "O"], c.Sentences[0].Labels);
    }

    [Fact]
    public void ReadGoldAndPredicted_TwoColumns_PredictedLenient()
    {
        using var dir = new TempDir();
        string path = dir.Write("eval.txt", "a X B-P O\nb X I-P I-P\n\nc X O B-Q\n");
        var (gold, pred) = ConllReader.ReadGoldAndPredicted(path);
        Assert.Equal(["B-P", "I-P"], gold.Sentences[0].Labels);
        Assert.Equal(["O", "B-P"], pred.Sentences[0].Labels);
        Assert.Equal(["B-Q"], pred.Sentences[1].Labels);
        Assert.Equal(gold.Sentences[1].Words, pred.Sentences[1].Words);
    }

    private static Corpus Sample() => new(
    [
        new Sentence(["Aspirin", "inhibits", "COX", "-", "2"], ["B-Chemical", "O", "B-Protein", "I-Protein", "I-Protein"]) { DocumentId = "d1" },
        new Sentence(["IL", "2", "IL", "4"], ["B-Protein", "I-Protein", "B-Protein", "I-Protein"]) { DocumentId = "d1" },
        new Sentence(["Nothing"], ["O"]) { DocumentId = "d2" },
    ], "sample");

    [Theory]
    [InlineData(TaggingScheme.IOB1)]
    [InlineData(TaggingScheme.IOB2)]
    [InlineData(TaggingScheme.IOE1)]
    [InlineData(TaggingScheme.IOE2)]
    [InlineData(TaggingScheme.IOBES)]
    [InlineData(TaggingScheme.BILOU)]
    public void Write_ThenRead_RoundTripsInEveryScheme(TaggingScheme scheme)
    {
        using var dir = new TempDir();
        string path = dir.File("out.conll");
        ConllWriter.Write(Sample(), path, new WriteOptions { Scheme = scheme });
        var r = ConllReader.ReadWithReport(path);
        Assert.Equal(scheme, r.Report.Scheme);
        Assert.Equal(Sample().Sentences.Select(s => s.Labels), r.Corpus.Sentences.Select(s => s.Labels));
        Assert.Equal(Sample().Sentences.Select(s => s.Words), r.Corpus.Sentences.Select(s => s.Words));
        Assert.Equal(["d1", "d1", "d2"], r.Corpus.Sentences.Select(s => s.DocumentId));
    }

    [Fact]
    public void WriteGoldAndPredicted_WritesConllevalColumns()
    {
        var gold = new Corpus([new Sentence(["a", "b"], ["B-X", "I-X"])]);
        var pred = new Corpus([new Sentence(["a", "b"], ["B-X", "O"])]);
        Assert.Equal("a\tB-X\tB-X\nb\tI-X\tO\n\n", ConllWriter.Format(gold, [pred]));
        using var dir = new TempDir();
        ConllWriter.WriteGoldAndPredicted(gold, pred, dir.File("e.txt"));
        var (g, p) = ConllReader.ReadGoldAndPredicted(dir.File("e.txt"));
        Assert.Equal(gold.Sentences[0].Labels, g.Sentences[0].Labels);
        Assert.Equal(pred.Sentences[0].Labels, p.Sentences[0].Labels);
    }

    [Fact]
    public void Write_WordWithSpace_Throws()
    {
        var c = new Corpus([new Sentence(["a b"], ["O"])]);
        var e = Assert.Throws<BioNerException>(() => ConllWriter.Format(c, []));
        Assert.Contains("word 1", e.Message);
    }
}
