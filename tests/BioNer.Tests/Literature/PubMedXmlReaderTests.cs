using System.IO.Compression;
using BioNer.Literature;

namespace BioNer.Tests.Literature;

public class PubMedXmlReaderTests
{
    internal static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "fixtures", "pubmed");

    private static List<Document> Read(string path, List<string>? deleted = null, OffsetUnit unit = OffsetUnit.CodePoints)
    {
        using var reader = DocumentReader.Open(path, null, unit);
        var docs = reader.Documents.ToList();
        deleted?.AddRange(reader.Deleted);
        return docs;
    }

    [Fact]
    public void Read_BaselineSampleGzip_CitationsWithTitleAndAbstractPassages()
    {
        string path = Path.Combine(Dir, "pubmedsample18n0001-a.xml.gz");
        Assert.Equal(InputFormat.PubMed, InputFiles.Detect(path));
        var docs = Read(path);
        Assert.Equal(8, docs.Count);
        Assert.Equal("8219565", docs[0].Id);
        Assert.Equal("1", docs[0].Infons["pmid_version"]);
        foreach (var d in docs)
        {
            Assert.Equal("title", d.Passages[0].Type);
            Assert.Equal(0, d.Passages[0].Offset);
            Assert.True(d.Passages.Count >= 2, d.Id);
            for (int i = 1; i < d.Passages.Count; i++)
            {
                Assert.Equal("abstract", d.Passages[i].Type);
                Assert.Equal(d.Passages[i - 1].Offset + Offsets.Length(d.Passages[i - 1].Text, OffsetUnit.CodePoints) + 1, d.Passages[i].Offset);
                Assert.DoesNotContain("  ", d.Passages[i].Text);
            }
        }
        var structured = docs.First(d => d.Passages.Skip(1).Any(p => p.Infons.ContainsKey("section")));
        Assert.True(structured.Passages.Count > 2);
        Assert.Contains(structured.Passages, p => p.Infons.GetValueOrDefault("nlm_category") == "METHODS");
    }

    [Fact]
    public void Read_InlineMarkupAndMathMl_FlattenedWithoutLosingWords()
    {
        var deleted = new List<string>();
        var docs = Read(Path.Combine(Dir, "markup-and-deletions.xml"), deleted);
        Assert.Equal(2, docs.Count);
        var d = docs[0];
        Assert.Equal("90000001", d.Id);
        Assert.Equal("2", d.Infons["pmid_version"]);
        Assert.Equal("Loss of Pax6 alters Na+/K+-ATPase in CO2-treated mice.", d.Passages[0].Text);
        Assert.Equal("The Pax6 gene encodes a transcription factor expressed in the lens.", d.Passages[1].Text);
        Assert.Equal("BACKGROUND", d.Passages[1].Infons["section"]);
        Assert.Equal("Mice received 10 mg/kg aspirin at 37 °C; the rate was k=e2 per hour (± 5%).", d.Passages[2].Text);
        Assert.Equal("β-catenin and TGF-β1 levels rose in 𝛼-cells.", d.Passages[3].Text);
        Assert.Single(docs[1].Passages);
        Assert.Equal(["12345678", "23456789"], deleted);
    }

    [Fact]
    public void Read_MalformedXml_ErrorNamesFileAndLine()
    {
        using var dir = new TempDir();
        string text = File.ReadAllText(Path.Combine(Dir, "markup-and-deletions.xml")).Replace("</ArticleTitle>", "</ArticleTitl>");
        string path = dir.Write("broken.xml", text);
        var e = Assert.Throws<BioNerException>(() => Read(path));
        Assert.Contains("broken.xml", e.Message);
        Assert.Equal(8, e.Line);
    }

    [Fact]
    public void Read_TruncatedGzip_ErrorNamesFile()
    {
        using var dir = new TempDir();
        byte[] bytes = File.ReadAllBytes(Path.Combine(Dir, "pubmedsample18n0001-b.xml.gz"));
        string path = dir.WriteBytes("cut.xml.gz", bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<BioNerException>(() => Read(path));
        Assert.Contains("cut.xml.gz", e.Message);
    }

    [Fact]
    public void Read_CorruptGzipData_ErrorNamesFileAndCompressedOffset()
    {
        using var dir = new TempDir();
        byte[] bytes = File.ReadAllBytes(Path.Combine(Dir, "pubmedsample18n0001-b.xml.gz"));
        for (int i = 4000; i < 4400; i++) bytes[i] ^= 0x5A;
        string path = dir.WriteBytes("bad.xml.gz", bytes);
        var e = Assert.Throws<BioNerException>(() => Read(path));
        Assert.Contains("bad.xml.gz", e.Message);
    }

    [Fact]
    public void Detect_BinaryFile_RefusedNamingIt()
    {
        using var dir = new TempDir();
        var bytes = new byte[4096];
        new Random(1).NextBytes(bytes);
        bytes[10] = 0;
        string path = dir.WriteBytes("image.png", bytes);
        var e = Assert.Throws<BioNerException>(() => InputFiles.Detect(path));
        Assert.Contains("image.png", e.Message);
        Assert.Contains("binary", e.Message);
        // A gzip of binary content is refused too, after decompression.
        string gz = dir.File("blob.gz");
        using (var f = new GZipStream(File.Create(gz), CompressionLevel.Fastest)) f.Write(bytes);
        Assert.Contains("binary", Assert.Throws<BioNerException>(() => InputFiles.Detect(gz)).Message);
    }

    [Theory]
    [InlineData("a.conll", "Pax6\tB-Gene\n", InputFormat.Conll)]
    [InlineData("a.txt", "12345|t|A title\n12345|a|An abstract\n", InputFormat.PubTator)]
    [InlineData("a.jsonl", "{\"id\": \"1\", \"text\": \"Aspirin\"}\n", InputFormat.Jsonl)]
    [InlineData("a.jsonl", "{\"tokens\": [\"Aspirin\"], \"ner_tags\": [\"B-Chemical\"]}\n", InputFormat.JsonlTokens)]
    [InlineData("a.json", "{\"source\": \"PubMed\", \"documents\": []}", InputFormat.BioCJson)]
    [InlineData("a.data", "[{\"id\": \"1\", \"passages\": []}]", InputFormat.BioCJson)]
    [InlineData("a.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE collection SYSTEM \"BioC.dtd\">\n<collection><source/></collection>", InputFormat.BioCXml)]
    [InlineData("notes", "Mutations in Brca1 cause tumours.", InputFormat.Text)]
    public void Detect_ByExtensionAndContent(string name, string content, InputFormat expected)
    {
        using var dir = new TempDir();
        Assert.Equal(expected, InputFiles.Detect(dir.Write(name, content)));
    }

    [Fact]
    public void Detect_UnknownXmlRoot_ClearError()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<BioNerException>(() => InputFiles.Detect(dir.Write("x.xml", "<html><body/></html>")));
        Assert.Contains("<html>", e.Message);
    }
}
