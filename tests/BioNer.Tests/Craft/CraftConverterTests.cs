using BioNer.Data;
using BioNer.Data.Craft;

namespace BioNer.Tests.Craft;

public sealed class CraftConverterTests
{
    internal static readonly string Mini = Path.Combine(AppContext.BaseDirectory, "fixtures", "craft-mini");

    private static CraftSplits Convert(CraftOptions? options = null) => new CraftConverter(options).Convert(Mini);

    private static Sentence SentenceWith(Corpus corpus, string word) => corpus.Sentences.First(s => s.Words.Contains(word));

    private static string LabelOf(Sentence s, string word) => s.Labels[s.Words.ToList().IndexOf(word)];

    [Fact]
    public void Convert_OfficialSplitFiles_AssignsDocumentsAndSentences()
    {
        var splits = Convert();
        Assert.True(splits.OfficialSplit);
        Assert.Equal(5, splits.Train.Sentences.Count); // from the CoNLL-U file
        Assert.All(splits.Train.Sentences, s => Assert.Equal("11111111", s.DocumentId));
        Assert.Equal(3, splits.Dev.Sentences.Count); // fallback segmenter: line breaks end sentences
        Assert.Equal("22222222", splits.Dev.Sentences[0].DocumentId);
        Assert.Empty(splits.Test.Sentences);
        Assert.Equal(2, splits.Report.Documents);
        Assert.Equal(1, splits.Report.FallbackSegmented);
    }

    [Fact]
    public void Convert_Offsets_IndexTheArticleText()
    {
        string text = File.ReadAllText(Path.Combine(Mini, "articles", "txt", "11111111.txt"));
        foreach (var s in Convert().Train.Sentences)
            for (int i = 0; i < s.Count; i++)
                Assert.Equal(s.Words[i], text[s.Offsets![i].Start..s.Offsets[i].End]);
        Assert.Equal(10, Convert().Train.Sentences[1].SourceLine); // first token line of sentence 2 in the .conllu
    }

    [Fact]
    public void Convert_DefaultPolicies_ProducesExpectedLabels()
    {
        var train = Convert().Train;
        Assert.Equal(["B-Protein", "O", "B-Chemical"], train.Sentences[0].Labels);
        var s2 = train.Sentences[1];
        Assert.Equal("B-Protein", LabelOf(s2, "Insulin"));        // identical extent: Protein beats Chemical
        Assert.Equal("B-Protein", LabelOf(s2, "glucose"));        // nested Chemical dropped inside the outer span
        Assert.Equal("I-Protein", LabelOf(s2, "transporter"));
        Assert.Equal("B-Taxon", LabelOf(s2, "mice"));
        Assert.Equal("O", LabelOf(s2, "E."));                     // "E. coli" crosses the treebank sentence boundary
        var s4 = train.Sentences[3];
        Assert.Equal("O", LabelOf(s4, "white"));                  // discontinuous "white ... cells" dropped
        Assert.Equal(["B-Cell", "I-Cell", "I-Cell"], s4.Labels.Skip(3).Take(3));
        Assert.Equal(["B-Protein", "B-Sequence", "I-Sequence"], s4.Labels.Skip(7).Take(3)); // "Pax6 gene" crossed
        Assert.Equal("B-Gene", LabelOf(s4, "nucleus"));
    }

    [Fact]
    public void Convert_MentionEdgeInsideToken_SplitsTheToken()
    {
        var s5 = Convert().Train.Sentences[4];
        Assert.Equal(["GFP", "-", "positive", "cells", "contain", "mRNA", "s", "."], s5.Words);
        Assert.Equal(["B-Protein", "O", "O", "B-Cell", "O", "B-Sequence", "O", "O"], s5.Labels);
        Assert.Equal((0, 3), (s5.Offsets![0].Start - s5.Offsets[0].Start, s5.Offsets[0].End - s5.Offsets[0].Start));
    }

    [Fact]
    public void Convert_Report_CountsEveryPolicy()
    {
        var r = Convert().Report.ByType;
        Assert.Equal(["Cell", "Chemical", "Gene", "Protein", "Sequence", "Taxon"], r.Keys);
        AssertCounts(r["Chemical"], read: 4, kept: 2, typeConflict: 1, nested: 1);
        AssertCounts(r["Protein"], read: 7, kept: 5, duplicate: 1, overlap: 1);
        AssertCounts(r["Taxon"], read: 3, kept: 2, crossSentence: 1);
        AssertCounts(r["Cell"], read: 4, kept: 3, discontinuous: 1);
        AssertCounts(r["Sequence"], read: 3, kept: 2, noSpan: 1);
        AssertCounts(r["Gene"], read: 2, kept: 2);
        Assert.Equal((1, 0), (r["Protein"].BoundarySplits, r["Protein"].MidRunSplits));   // GFP|-positive
        Assert.Equal((1, 1), (r["Sequence"].BoundarySplits, r["Sequence"].MidRunSplits)); // mRNA|s
    }

    private static void AssertCounts(ConversionCounts c, int read, int kept, int noSpan = 0, int discontinuous = 0,
        int duplicate = 0, int typeConflict = 0, int nested = 0, int overlap = 0, int crossSentence = 0)
    {
        Assert.Equal((read, kept, noSpan, discontinuous, duplicate, typeConflict, nested, overlap, crossSentence),
            (c.Read, c.Kept, c.NoSpan, c.DroppedDiscontinuous, c.DroppedDuplicate, c.DroppedTypeConflict,
             c.DroppedNested, c.DroppedOverlap, c.DroppedCrossSentence));
        Assert.Equal(c.Read, c.Kept + c.NoSpan + c.DroppedDiscontinuous + c.DroppedDuplicate + c.DroppedTypeConflict
                             + c.DroppedNested + c.DroppedOverlap + c.DroppedCrossSentence);
    }

    [Fact]
    public void Convert_FirstSpanPolicy_KeepsFirstFragment()
    {
        var splits = Convert(new CraftOptions { Discontinuous = DiscontinuousPolicy.FirstSpan });
        Assert.Equal("B-Cell", LabelOf(splits.Train.Sentences[3], "white"));
        Assert.Equal("O", LabelOf(splits.Train.Sentences[3], "and"));
        AssertCounts(splits.Report.ByType["Cell"], read: 4, kept: 4);
        Assert.Equal(1, splits.Report.ByType["Cell"].ChangedDiscontinuous);
    }

    [Fact]
    public void Convert_ExtentPolicy_CoversTheGapAndNestsInnerMention()
    {
        var splits = Convert(new CraftOptions { Discontinuous = DiscontinuousPolicy.Extent });
        Assert.Equal(["B-Cell", "I-Cell", "I-Cell", "I-Cell", "I-Cell"], splits.Train.Sentences[3].Labels.Skip(1).Take(5));
        AssertCounts(splits.Report.ByType["Cell"], read: 4, kept: 3, nested: 1);
    }

    [Fact]
    public void Convert_TypePriority_ChemicalFirst_FlipsIdenticalExtent()
    {
        var splits = Convert(new CraftOptions { TypePriority = ["Chemical"] });
        Assert.Equal("B-Chemical", LabelOf(splits.Train.Sentences[1], "Insulin"));
        Assert.Equal(1, splits.Report.ByType["Protein"].DroppedTypeConflict);
    }

    [Fact]
    public void Convert_CustomTagMapWithExtensions_ReadsExtensionSet()
    {
        var options = new CraftOptions
        {
            TagMap = new Dictionary<string, string> { ["CHEBI"] = "Chem" },
            UseExtensions = true,
        };
        var splits = Convert(options);
        var s2 = splits.Train.Sentences[1];
        Assert.Equal(["B-Chem", "O", "O", "B-Chem", "B-Chem"], s2.Labels.Take(5)); // + CHEBI_EXT "transporter"
        Assert.Equal(["Chem"], splits.Report.ByType.Keys);
        Assert.Equal(5, splits.Report.ByType["Chem"].Read);
    }

    [Fact]
    public void Convert_UnknownOntology_ThrowsNamingTheFile()
    {
        var options = new CraftOptions { TagMap = new Dictionary<string, string> { ["UBERON"] = "Anatomy" } };
        var e = Assert.Throws<BioNerException>(() => Convert(options));
        Assert.Contains("UBERON", e.File);
    }

    [Fact]
    public void TagMapOf_CraftV5AndSpecs_IsTheOntologyToTagMap()
    {
        Assert.Equal(new Dictionary<string, string>
        {
            ["CHEBI"] = "Chemical", ["CL"] = "Cell", ["PR"] = "Protein", ["NCBITaxon"] = "Taxon", ["SO"] = "Sequence", ["GO_CC"] = "Gene",
        }, CraftOptions.DefaultTagMap);
        Assert.Equal(new Dictionary<string, string> { ["CHEBI"] = "Chem" },
            CraftOptions.TagMapOf(LabelMap.FromSpec("CHEBI=Chem, GO_CC=-, *=-", "--map")));
        var e = Assert.Throws<BioNerException>(() => LabelMap.FromSpec("CHEBI", "--map"));
        Assert.Contains("--map", e.Message);
    }
}
