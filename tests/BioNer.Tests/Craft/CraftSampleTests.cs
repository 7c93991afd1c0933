using BioNer.Data;

namespace BioNer.Tests.Craft;

/// <summary>Checks the committed six-tag sample (samples/craft-sample), the embedded default of <c>bioner train</c>.</summary>
public sealed class CraftSampleTests
{
    private static readonly string[] Tags = ["Cell", "Chemical", "Gene", "Protein", "Sequence", "Taxon"];

    internal static string SampleDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BioNer.slnx")))
                return Path.Combine(dir.FullName, "samples", "craft-sample");
        throw new DirectoryNotFoundException("repository root (BioNer.slnx) not found above the test binaries");
    }

    private static Corpus ReadConll(string split) => ConllReader.Read(Path.Combine(SampleDir(), split + ".conll"));

    [Theory]
    [InlineData("train", 360)]
    [InlineData("dev", 120)]
    public void Sample_Conll_HasValidIob2LabelsOfAllSixTags(string split, int sentences)
    {
        var corpus = ReadConll(split);
        Assert.Equal(sentences, corpus.Sentences.Count);
        Assert.Equal(Tags, corpus.EntityTypes());
        foreach (var s in corpus.Sentences)
            for (int i = 0; i < s.Count; i++)
            {
                string l = s.Labels[i];
                Assert.True(l == "O" || Tags.Contains(l[2..]) && l[..2] is "B-" or "I-", $"bad label '{l}'");
                if (l.StartsWith("I-"))
                    Assert.True(i > 0 && s.Labels[i - 1] != "O" && s.Labels[i - 1][2..] == l[2..], $"I- without B- in '{string.Join(' ', s.Words)}'");
            }
    }

    [Theory]
    [InlineData("train")]
    [InlineData("dev")]
    public void Sample_Jsonl_MatchesConllWordsLabelsAndDocuments(string split)
    {
        var conll = ReadConll(split).Sentences;
        var jsonl = JsonlReader.Read(Path.Combine(SampleDir(), split + ".jsonl")).Sentences;
        Assert.Equal(conll.Count, jsonl.Count);
        for (int i = 0; i < jsonl.Count; i++)
        {
            Assert.Equal(conll[i].Words, jsonl[i].Words);
            Assert.Equal(conll[i].Labels, jsonl[i].Labels);
            Assert.Equal(conll[i].DocumentId, jsonl[i].DocumentId);
            Assert.StartsWith(jsonl[i].DocumentId + "-", jsonl[i].Id);
            Assert.Equal(jsonl[i].Words.Count, jsonl[i].Offsets!.Count);
        }
        Assert.Equal(split == "train" ? 20 : 11, jsonl.Select(s => s.DocumentId).Distinct().Count());
    }

    [Fact]
    public void Sample_Terms_OneFilePerTagWithDistinctTerms()
    {
        foreach (string tag in Tags)
        {
            var terms = File.ReadAllLines(Path.Combine(SampleDir(), "terms", tag + ".txt"));
            Assert.InRange(terms.Length, 20, 100);
            Assert.All(terms, t => Assert.False(string.IsNullOrWhiteSpace(t)));
            Assert.Equal(terms.Length, terms.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }
    }

    [Fact]
    public void Sample_TotalSize_StaysUnderOneMegabyte()
    {
        long bytes = new DirectoryInfo(Path.GetDirectoryName(SampleDir())!)
            .EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        Assert.InRange(bytes, 100_000, 1_000_000);
    }
}
