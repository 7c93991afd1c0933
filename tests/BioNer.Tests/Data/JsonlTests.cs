using BioNer.Data;

namespace BioNer.Tests.Data;

public class JsonlTests
{
    [Fact]
    public void Parse_StringTags_ReadsFields()
    {
        string text = "{\"id\": \"7\", \"document_id\": \"pmid1\", \"tokens\": [\"Aspirin\", \"works\"], \"ner_tags\": [\"S-Chemical\", \"O\"], \"offsets\": [[0, 7], [8, 13]]}\n"
            + "\n{\"id\": 8, \"tokens\": [\"α\"], \"ner_tags\": [\"S-Chemical\"]}\r\n";
        var r = JsonlReader.Parse(text, "t.jsonl");
        Assert.Equal(2, r.Corpus.Sentences.Count);
        var s = r.Corpus.Sentences[0];
        Assert.Equal(["Aspirin", "works"], s.Words);
        Assert.Equal(["B-Chemical", "O"], s.Labels);
        Assert.Equal("7", s.Id);
        Assert.Equal("pmid1", s.DocumentId);
        Assert.Equal([(0, 7), (8, 13)], s.Offsets);
        Assert.Equal(TaggingScheme.IOBES, r.Report.Scheme);
        Assert.Equal(["B-Chemical"], r.Corpus.Sentences[1].Labels);
        Assert.Equal("8", r.Corpus.Sentences[1].Id);
        Assert.Equal(3, r.Corpus.Sentences[1].SourceLine);
    }

    [Fact]
    public void Parse_IntTagsWithLabelNames_MapsIds()
    {
        var o = new ReadOptions { LabelNames = ["O", "B-Chemical", "I-Chemical"] };
        var c = JsonlReader.Parse("{\"tokens\": [\"a\", \"b\", \"c\"], \"ner_tags\": [1, 2, 0]}", "t", o).Corpus;
        Assert.Equal(["B-Chemical", "I-Chemical", "O"], c.Sentences[0].Labels);
    }

    [Fact]
    public void Read_IntTagsWithDatasetInfoSidecar_MapsIds()
    {
        using var dir = new TempDir();
        dir.Write("dataset_info.json", "{\"features\": {\"ner_tags\": {\"feature\": {\"names\": [\"O\", \"B-Disease\", \"I-Disease\"], \"_type\": \"ClassLabel\"}, \"_type\": \"Sequence\"}}}");
        string path = dir.Write("train.json", "{\"tokens\": [\"breast\", \"cancer\"], \"ner_tags\": [1, 2]}\n");
        Assert.Equal(["B-Disease", "I-Disease"], JsonlReader.Read(path).Sentences[0].Labels);
    }

    [Theory]
    [InlineData("{\"tokens\": [\"a\", \"b\", \"c\"], \"ner_tags\": [\"O\", \"O\"]}", "ner_tags has 2 items but tokens has 3")]
    [InlineData("{\"ner_tags\": [\"O\"]}", "field 'tokens' is missing")]
    [InlineData("{\"tokens\": [\"a\", 3], \"ner_tags\": [\"O\", \"O\"]}", "tokens[1] must be a string")]
    [InlineData("{\"tokens\": [\"a\"], \"ner_tags\": [7]}", "ner_tags[0] = 7 is out of range for 1 label names")]
    [InlineData("{\"tokens\": [\"a\"], \"ner_tags\": [0, \"O\"]}", "ner_tags[1] must be an integer")]
    [InlineData("{\"tokens\": [\"a\"], \"ner_tags\": [\"O\"], \"offsets\": [[3, 1]]}", "offsets[0]")]
    [InlineData("{\"tokens\": [\"a\"], ", "not valid JSON")]
    [InlineData("[1, 2]", "expected a JSON object")]
    [InlineData("{\"tokens\": [\"a\", \"b\"], \"ner_tags\": [\"O\", \"B-\"]}", "ner_tags[1]")]
    public void Parse_BadLine_ThrowsNamingLineAndField(string line, string expected)
    {
        var e = Assert.Throws<BioNerException>(() =>
            JsonlReader.Parse("{\"tokens\": [\"x\"], \"ner_tags\": [\"O\"]}\n" + line + "\n", "t.jsonl", new ReadOptions { LabelNames = ["O"] }));
        Assert.Equal(2, e.Line);
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("t.jsonl:2:", e.Message);
    }

    [Fact]
    public void Parse_IntTagsWithoutNames_ThrowsExplaining()
    {
        var e = Assert.Throws<BioNerException>(() => JsonlReader.Parse("{\"tokens\": [\"a\"], \"ner_tags\": [0]}", "t"));
        Assert.Contains("label names", e.Message);
    }

    [Fact]
    public void Write_ThenRead_RoundTripsWithIntTagsAndUnicode()
    {
        var corpus = new Corpus(
        [
            new Sentence(["IL", "-", "2", "🧬", "naïve"], ["B-Protein", "I-Protein", "I-Protein", "O", "B-Cell"])
                { Id = "s1", DocumentId = "d", Offsets = [(0, 2), (2, 3), (3, 4), (5, 7), (8, 13)] },
            new Sentence(["x"], ["O"]),
        ]);
        using var dir = new TempDir();
        string path = dir.File("out.jsonl");
        string[] names = ["O", "B-Protein", "I-Protein", "B-Cell", "I-Cell"];
        JsonlWriter.Write(corpus, path, new WriteOptions { LabelNames = names });
        string first = File.ReadAllLines(path)[0];
        Assert.Contains("\"ner_tags\":[1,2,2,0,3]", first);
        Assert.Contains("naïve", first);
        var back = JsonlReader.Read(path, new ReadOptions { LabelNames = names });
        Assert.Equal(corpus.Sentences[0].Words, back.Sentences[0].Words);
        Assert.Equal(corpus.Sentences[0].Labels, back.Sentences[0].Labels);
        Assert.Equal(corpus.Sentences[0].Offsets, back.Sentences[0].Offsets);
        Assert.Equal("s1", back.Sentences[0].Id);
        Assert.Equal("1", back.Sentences[1].Id);
    }

    [Fact]
    public void Write_LabelNotInNames_Throws() =>
        Assert.Throws<BioNerException>(() => JsonlWriter.Write(new Corpus([new Sentence(["a"], ["B-X"])]),
            Path.Combine(Path.GetTempPath(), $"bioner-{Guid.NewGuid():N}.jsonl"), new WriteOptions { LabelNames = ["O"] }));
}
