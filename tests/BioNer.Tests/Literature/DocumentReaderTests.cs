using BioNer.Data;
using BioNer.Literature;

namespace BioNer.Tests.Literature;

/// <summary>
/// <c>bioner predict</c> reads every running-text input through <see cref="DocumentReader"/>: a text given in memory
/// (argument or stdin) as a plain-text file is read, and CoNLL is recognised by the same extensions everywhere.
/// </summary>
public class DocumentReaderTests
{
    [Theory]
    [InlineData("text")]
    [InlineData("stdin")]
    public void FromText_OneDocumentWithOneTextPassage_AsAPlainTextFileIsRead(string id)
    {
        const string text = "Mutations in Brca1 cause tumours.\nSecond line.";
        using var dir = new TempDir();
        using var file = DocumentReader.Open(dir.Write(id + ".txt", text), InputFormat.Text, OffsetUnit.Utf16);
        using var memory = DocumentReader.FromText(text, id);

        var expected = Assert.Single(file.Documents);
        var doc = Assert.Single(memory.Documents);
        Assert.Equal(id, doc.Id);
        Assert.Equal(expected.Id, doc.Id);
        var passage = Assert.Single(doc.Passages);
        Assert.Equal(0, passage.Offset);
        Assert.Equal(text, passage.Text);
        Assert.Equal("text", passage.Type);
        Assert.Equal(expected.Passages[0].Infons, passage.Infons);
        Assert.Equal(InputFormat.Text, memory.Format);
        Assert.Equal("BioNer", memory.Header.Source);
        Assert.Equal(0, memory.Position);
    }

    public static TheoryData<string> ConllExtensions() => [.. CorpusIO.ConllExtensions];

    [Theory]
    [MemberData(nameof(ConllExtensions))]
    public void ConllExtension_IsConllToPredictAndToCorpusReaders(string extension)
    {
        using var dir = new TempDir();
        string path = dir.Write("corpus" + extension, "Pax6\tB-Gene\nis\tO\n");

        Assert.Equal(InputFormat.Conll, InputFiles.Detect(path));
        Assert.Equal(CorpusFormat.Conll, CorpusIO.DetectFormat(path));
    }
}
