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

    private const string Jsonl = "{\"tokens\": [\"Aspirin\", \"works\"], \"ner_tags\": [\"B-Chemical\", \"O\"]}\n{\"tokens\": [\"Fine\"], \"ner_tags\": [\"O\"]}\n";
    private const string Conll = "-DOCSTART- -X- -X- O\n\nAspirin\tB-Chemical\nworks\tO\n\nFine\tO\n";

    [Theory]
    [InlineData("train.txt")]
    [InlineData("train.data")]
    [InlineData("train")]
    public void DetectFormat_UnknownExtensionJsonLines_IsJsonl(string name)
    {
        using var dir = new TempDir();
        Assert.Equal(CorpusFormat.Jsonl, CorpusIO.DetectFormat(dir.Write(name, Jsonl)));
    }

    [Theory]
    [InlineData("train.txt")]
    [InlineData("train.data")]
    [InlineData("train")]
    public void DetectFormat_UnknownExtensionColumns_IsConll(string name)
    {
        using var dir = new TempDir();
        Assert.Equal(CorpusFormat.Conll, CorpusIO.DetectFormat(dir.Write(name, Conll)));
    }

    [Fact]
    public void Read_SniffedFiles_ReadAsTheirFormat()
    {
        using var dir = new TempDir();
        Assert.Equal(["Aspirin", "works"], CorpusIO.Read(dir.Write("a.data", Jsonl)).Sentences[0].Words);
        Assert.Equal(["B-Chemical", "O"], CorpusIO.Read(dir.Write("b", Conll)).Sentences[0].Labels);
    }

    [Fact]
    public void DetectFormat_JsonLineLongerThanTheSample_IsJsonl()
    {
        using var dir = new TempDir();
        string words = string.Join(", ", Enumerable.Repeat("\"word\"", 3000));
        string tags = string.Join(", ", Enumerable.Repeat("\"O\"", 3000));
        Assert.Equal(CorpusFormat.Jsonl, CorpusIO.DetectFormat(dir.Write("long.data", $"{{\"tokens\": [{words}], \"ner_tags\": [{tags}]}}\n")));
    }

    [Fact]
    public void DetectFormat_Prose_NamesFileLineAndFormats()
    {
        using var dir = new TempDir();
        string path = dir.Write("notes.data", "\nAspirin blocks COX-2 in platelets.\n");
        var e = Assert.Throws<BioNerException>(() => CorpusIO.DetectFormat(path));
        Assert.StartsWith($"{path}:2: ", e.Message);
        Assert.Contains("'Aspirin blocks COX-2 in platelets.'", e.Message);
        Assert.Contains("conll, jsonl, brat", e.Message);
        Assert.Contains("--format", e.Message);
    }

    [Fact]
    public void DetectFormat_ProseTxtWithoutAnn_MentionsBrat()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<BioNerException>(() => CorpusIO.DetectFormat(dir.Write("doc.txt", "Aspirin blocks COX-2.\n")));
        Assert.Contains(".ann", e.Message);
    }

    [Fact]
    public void DetectFormat_JsonThenColumns_NamesTheLineThatDisagrees()
    {
        using var dir = new TempDir();
        string path = dir.Write("mixed", Jsonl + "\nAspirin\tB-Chemical\n");
        var e = Assert.Throws<BioNerException>(() => CorpusIO.DetectFormat(path));
        Assert.StartsWith($"{path}:4: ", e.Message);
        Assert.Contains("line 1 looks like a JSON object (JSONL)", e.Message);
        Assert.Contains("CoNLL", e.Message);
    }

    [Fact]
    public void DetectFormat_ColumnsWithALabelLessLine_NamesThatLine()
    {
        using var dir = new TempDir();
        string path = dir.Write("c.data", "Aspirin\tB-Chemical\nworks\n");
        var e = Assert.Throws<BioNerException>(() => CorpusIO.DetectFormat(path));
        Assert.StartsWith($"{path}:2: ", e.Message);
    }

    [Theory]
    [InlineData("model.bin")]
    [InlineData("weights")]
    public void DetectFormat_Binary_RefusedAsBinary(string name)
    {
        using var dir = new TempDir();
        string path = dir.WriteBytes(name, [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x41, 0x0A]);
        var e = Assert.Throws<BioNerException>(() => CorpusIO.DetectFormat(path));
        Assert.StartsWith($"{path}: binary content (NUL byte at byte 5)", e.Message);
    }

    [Fact]
    public void DetectFormat_Gzip_SaysDecompressFirst()
    {
        using var dir = new TempDir();
        string path = dir.WriteBytes("train.conll.gz", [0x1F, 0x8B, 0x08, 0x00, 0x00]);
        Assert.Contains("gzip", Assert.Throws<BioNerException>(() => CorpusIO.DetectFormat(path)).Message);
    }

    [Fact]
    public void DetectFormat_EmptyFile_SaysEmpty()
    {
        using var dir = new TempDir();
        string path = dir.Write("empty.data", "\n\n");
        Assert.Contains("empty", Assert.Throws<BioNerException>(() => CorpusIO.DetectFormat(path)).Message);
    }

    [Fact]
    public void Read_ConllExtensionWithNulByte_RefusedNamingTheLine()
    {
        using var dir = new TempDir();
        string path = dir.WriteBytes("bad.conll", [.. "a\tO\n"u8, 0x62, 0x00, 0x09, 0x4F, 0x0A]);
        var e = Assert.Throws<BioNerException>(() => CorpusIO.Read(path));
        Assert.StartsWith($"{path}:2: binary content", e.Message);
    }

    [Fact]
    public void Write_ExistingFileOfUnknownContent_PicksFormatByName()
    {
        using var dir = new TempDir();
        string path = dir.Write("out.txt", "not a corpus at all\n");
        CorpusIO.Write(new Corpus([new Sentence(["Fine"], ["O"])]), path);
        Assert.Contains("Fine\tO", File.ReadAllText(path));
        Assert.Equal(["Fine"], CorpusIO.Read(path).Sentences.Single().Words);
    }

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
