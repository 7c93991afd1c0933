using BioNer.Augmentation;
using BioNer.Data;

namespace BioNer.Tests.Augmentation;

public class MentionReplacementTests(ITestOutputHelper output)
{
    private static readonly Corpus Corpus = AugTestData.Synthetic(600);

    private static AugmentationResult Run(double ratio = 0.2, int seed = 42, int copies = 1, bool keep = true, TermLexicon? lex = null) =>
        new MentionReplacement(lex ?? AugTestData.Lexicon(),
            new AugmentationOptions { Ratio = ratio, Seed = seed, Copies = copies, KeepUnchanged = keep }).Augment(Corpus);

    /// <summary>Walks original and augmented mention by mention: outside mentions words and labels must be identical,
    /// each mention either kept or replaced by a lexicon term labelled B-X I-X...</summary>
    private static int AssertConsistent(Sentence original, Sentence augmented, TermLexicon lex)
    {
        AugTestData.AssertIob2(augmented);
        var a = MentionSpans.Segments(original);
        var b = MentionSpans.Segments(augmented);
        Assert.Equal(a.Count, b.Count);
        int replaced = 0;
        for (int k = 0; k < a.Count; k++)
        {
            Assert.Equal(a[k].Type, b[k].Type);
            var wa = AugmentLoop.WordsOf(original, a[k]);
            var wb = AugmentLoop.WordsOf(augmented, b[k]);
            if (a[k].Type is null || wa.SequenceEqual(wb)) { Assert.Equal(wa, wb); continue; }
            replaced++;
            Assert.True(lex.Contains(a[k].Type!, wb), string.Join(" ", wb));
            Assert.Equal(MentionSpans.Labels(a[k].Type!, wb.Length), augmented.Labels.Skip(b[k].Start).Take(b[k].Length));
        }
        return replaced;
    }

    [Fact]
    public void Augment_EveryMention_RelabelledSpanAndOtherLabelsUnchanged()
    {
        var lex = AugTestData.Lexicon();
        var result = Run(ratio: 0.5, lex: lex);
        Assert.Equal(Corpus.Sentences.Count, result.Augmented.Sentences.Count);
        int replaced = Corpus.Sentences.Zip(result.Augmented.Sentences).Sum(p => AssertConsistent(p.First, p.Second, lex));
        Assert.Equal(result.Report.Total.Replaced, replaced);
        Assert.True(replaced > 100);
    }

    [Fact]
    public void Augment_MultiWordReplacement_ShiftsFollowingWordsAndLabels()
    {
        var lex = new TermLexicon();
        lex.Add("Chemical", "alpha-D-glucose");
        var corpus = new Corpus([AugTestData.S("water in T cells", "B-Chemical O B-Cell I-Cell")]);
        var s = new MentionReplacement(lex, new AugmentationOptions { Ratio = 1 }).Augment(corpus).Augmented.Sentences.Single();
        Assert.Equal("alpha - D - glucose in T cells | B-Chemical I-Chemical I-Chemical I-Chemical I-Chemical O B-Cell I-Cell", AugTestData.Text(s));
        Assert.Null(s.Offsets);
        Assert.Equal("doc", s.DocumentId);
    }

    [Fact]
    public void Augment_SameSeed_IdenticalOutput()
    {
        var a = Run().Augmented.Sentences.Select(AugTestData.Text);
        var b = Run().Augmented.Sentences.Select(AugTestData.Text);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Augment_DifferentSeed_DifferentOutput()
    {
        var a = Run(seed: 1).Augmented.Sentences.Select(AugTestData.Text).ToList();
        var b = Run(seed: 2).Augmented.Sentences.Select(AugTestData.Text).ToList();
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Augment_DefaultRatio_ReplacesAboutOneFifthOfMentions()
    {
        var report = Run(copies: 4).Report;
        var total = report.Total;
        output.WriteLine(report.ToTable());
        Assert.True(total.Seen > 5000, $"{total.Seen} mentions");
        // Binomial(n, 0.2): 4.5 standard deviations either side.
        double sd = Math.Sqrt(total.Seen * 0.2 * 0.8);
        Assert.InRange(total.Replaced, total.Seen * 0.2 - 4.5 * sd, total.Seen * 0.2 + 4.5 * sd);
        Assert.Equal(0, total.NoCandidate);
        Assert.Equal(["Cell", "Chemical"], report.PerType.Keys);
    }

    [Fact]
    public void Augment_AlternativesExist_NeverSameTerm()
    {
        var lex = new TermLexicon();
        lex.Add("Chemical", "glucose");
        lex.Add("Chemical", "water");
        var corpus = new Corpus(Enumerable.Range(0, 200).Select(_ => AugTestData.S("Glucose and water", "B-Chemical O B-Chemical")).ToList());
        var result = new MentionReplacement(lex, new AugmentationOptions { Ratio = 1 }).Augment(corpus);
        Assert.All(result.Augmented.Sentences, s => Assert.Equal("water and glucose", string.Join(" ", s.Words)));
        Assert.Equal(400, result.Report.Total.Replaced);
    }

    [Fact]
    public void Augment_OnlySameTermOrUnknownType_CountsNoCandidateAndKeepsSentence()
    {
        var lex = new TermLexicon();
        lex.Add("Chemical", "glucose");
        var corpus = new Corpus([AugTestData.S("glucose in HeLa", "B-Chemical O B-Cell")]);
        var result = new MentionReplacement(lex, new AugmentationOptions { Ratio = 1 }).Augment(corpus);
        Assert.Same(corpus.Sentences[0], result.Augmented.Sentences.Single());
        Assert.NotNull(result.Augmented.Sentences[0].Offsets);
        Assert.Equal(new ReplacementCounts(1, 0, 1), result.Report.PerType["Chemical"]);
        Assert.Equal(new ReplacementCounts(1, 0, 1), result.Report.PerType["Cell"]);
        Assert.Equal(0, result.Report.SentencesChanged);
    }

    [Fact]
    public void Augment_DropUnchanged_OutputsOnlyChangedSentences()
    {
        var result = Run(keep: false);
        Assert.Equal(result.Report.SentencesChanged, result.Augmented.Sentences.Count);
        Assert.All(result.Augmented.Sentences, s => Assert.Null(s.Offsets));
        Assert.InRange(result.Augmented.Sentences.Count, 100, Corpus.Sentences.Count - 100);
    }

    [Fact]
    public void Augment_ThreeCopies_CopyMajorOrderAndConcat()
    {
        var result = Run(copies: 3);
        Assert.Equal(3 * Corpus.Sentences.Count, result.Augmented.Sentences.Count);
        Assert.Equal(3 * Corpus.Sentences.Count, result.Report.SentencesOut);
        for (int c = 0; c < 3; c++)
            Assert.Equal(Corpus.Sentences[5].SourceLine, result.Augmented.Sentences[c * Corpus.Sentences.Count + 5].SourceLine);
        var all = result.ConcatenatedWith(Corpus);
        Assert.Equal(4 * Corpus.Sentences.Count, all.Sentences.Count);
        Assert.Same(Corpus.Sentences[0], all.Sentences[0]);
    }

    [Theory]
    [InlineData(-0.1, 1)]
    [InlineData(1.5, 1)]
    [InlineData(double.NaN, 1)]
    [InlineData(0.2, 0)]
    public void Constructor_BadOptions_ThrowsNamingOption(double ratio, int copies)
    {
        var e = Assert.Throws<BioNerException>(() =>
            new MentionReplacement(new TermLexicon(), new AugmentationOptions { Ratio = ratio, Copies = copies }));
        Assert.Contains(copies == 0 ? "--copies" : "--ratio", e.Message);
    }

    [Fact]
    public void Augment_NonIob2Label_ThrowsWithSourceAndLine()
    {
        var corpus = new Corpus([new Sentence(["x"], ["E-Chemical"]) { SourceLine = 12 }], "train.conll");
        var e = Assert.Throws<BioNerException>(() => new MentionReplacement(new TermLexicon()).Augment(corpus));
        Assert.StartsWith("train.conll:12:", e.Message);
    }

    [Fact]
    public void Report_ToTable_ListsTypesAndTotal()
    {
        string table = Run().Report.ToTable();
        Assert.Contains("mention-replacement: 600 sentences in, 600 out", table);
        Assert.Matches(@"Chemical\s+\d+\s+\d+\s+\d+\.\d%\s+0", table);
        Assert.Contains("total", table);
    }
}
