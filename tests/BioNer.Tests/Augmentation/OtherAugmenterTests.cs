using BioNer.Augmentation;
using BioNer.Data;

namespace BioNer.Tests.Augmentation;

public class OtherAugmenterTests
{
    private static readonly Corpus Corpus = AugTestData.Synthetic(400, seed: 11);

    [Fact]
    public void Lwtr_Augment_LabelsUnchangedAndWordsFromSameLabelPool()
    {
        var result = new LabelwiseTokenReplacement(new AugmentationOptions { Ratio = 0.3 }).Augment(Corpus);
        var pools = Corpus.Sentences.SelectMany(s => s.Words.Zip(s.Labels)).ToLookup(p => p.Second, p => p.First);
        int changed = 0;
        foreach (var (o, a) in Corpus.Sentences.Zip(result.Augmented.Sentences))
        {
            Assert.Equal(o.Labels, a.Labels);
            for (int i = 0; i < o.Count; i++)
            {
                Assert.Contains(a.Words[i], pools[o.Labels[i]]);
                if (a.Words[i] != o.Words[i]) changed++;
            }
        }
        var total = result.Report.Total;
        Assert.Equal(total.Replaced, changed);
        Assert.Equal(Corpus.TokenCount, total.Seen);
        // Drawn with p = 0.3, then a draw may give back the same word: the changed share sits below 0.3 but well above 0.1.
        Assert.InRange((double)changed / total.Seen, 0.1, 0.3);
        Assert.Contains("O", result.Report.PerType.Keys);
    }

    [Fact]
    public void Lwtr_ZeroRatio_NothingChanges()
    {
        var result = new LabelwiseTokenReplacement(new AugmentationOptions { Ratio = 0 }).Augment(Corpus);
        Assert.Equal(0, result.Report.SentencesChanged);
        Assert.Equal(Corpus.Sentences, result.Augmented.Sentences);
    }

    [Fact]
    public void Lwtr_SeparateDistribution_DrawsOnlyFromIt()
    {
        var dist = new Corpus([AugTestData.S("ZZ QQ", "O B-Chemical")]);
        var corpus = new Corpus([AugTestData.S("the water", "O B-Chemical")]);
        var s = new LabelwiseTokenReplacement(new AugmentationOptions { Ratio = 1 }, dist).Augment(corpus).Augmented.Sentences.Single();
        Assert.Equal("ZZ QQ | O B-Chemical", AugTestData.Text(s));
    }

    [Fact]
    public void Sis_Augment_WordsStayInTheirSegmentAndLabelsUnchanged()
    {
        var result = new ShuffleWithinSegments(new AugmentationOptions { Ratio = 1, Seed = 3 }).Augment(Corpus);
        int shuffled = 0;
        foreach (var (o, a) in Corpus.Sentences.Zip(result.Augmented.Sentences))
        {
            Assert.Equal(o.Labels, a.Labels);
            foreach (var seg in MentionSpans.Segments(o))
            {
                var before = AugmentLoop.WordsOf(o, seg);
                var after = AugmentLoop.WordsOf(a, seg);
                Assert.Equal(before.Order(StringComparer.Ordinal), after.Order(StringComparer.Ordinal));
                if (!before.SequenceEqual(after)) shuffled++;
            }
        }
        Assert.Equal(result.Report.Total.Replaced, shuffled);
        Assert.True(shuffled > 200, $"{shuffled} segments shuffled");
    }

    [Fact]
    public void Sis_SameSeedSameOutput_DifferentSeedDifferent()
    {
        string Run(int seed) => string.Join("\n", new ShuffleWithinSegments(new AugmentationOptions { Ratio = 0.5, Seed = seed })
            .Augment(Corpus).Augmented.Sentences.Select(AugTestData.Text));
        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }

    [Fact]
    public void Sis_SingleWordSegments_NoCandidate()
    {
        var corpus = new Corpus([AugTestData.S("glucose in HeLa", "B-Chemical O B-Cell")]);
        var result = new ShuffleWithinSegments(new AugmentationOptions { Ratio = 1 }).Augment(corpus);
        Assert.Equal(new ReplacementCounts(3, 0, 3), result.Report.Total);
        Assert.Same(corpus.Sentences[0], result.Augmented.Sentences.Single());
    }

    private static TermLexicon OboLexicon()
    {
        var lex = new TermLexicon();
        lex.AddObo("Chemical", AugTestData.Fixture("mini.obo"), OboFilter.Parse("CHEBI:"));
        lex.AddObo("Gene", AugTestData.Fixture("mini.obo"), OboFilter.Parse("cellular_component"));
        return lex;
    }

    [Fact]
    public void Synonym_MatchingMention_ReplacedBySynonymOfSameConcept()
    {
        var corpus = new Corpus([AugTestData.S("Water enters the nucleus", "B-Chemical O O B-Gene")]);
        var results = Enumerable.Range(0, 40).Select(seed =>
            new SynonymReplacement(OboLexicon(), new AugmentationOptions { Ratio = 1, Seed = seed })
                .Augment(corpus).Augmented.Sentences.Single()).ToList();
        var chemicals = results.Select(s => s.Words[0]).ToHashSet();
        Assert.True(chemicals.SetEquals(["H2O", "oxidane"]), string.Join(",", chemicals));
        Assert.All(results, s =>
        {
            Assert.Equal(["enters", "the", "cell", "nucleus"], s.Words.Skip(1));
            Assert.Equal(["B-Chemical", "O", "O", "B-Gene", "I-Gene"], s.Labels);
        });
    }

    [Fact]
    public void Synonym_MentionWithoutConcept_KeptAndCountedNoCandidate()
    {
        var corpus = new Corpus([AugTestData.S("the membrane and caffeine", "O B-Gene O B-Chemical")]);
        var result = new SynonymReplacement(OboLexicon(), new AugmentationOptions { Ratio = 1 }).Augment(corpus);
        Assert.Equal(0, result.Report.SentencesChanged);
        Assert.Equal(new ReplacementCounts(2, 0, 2), result.Report.Total);
    }

    [Fact]
    public void Synonym_MultiWordMentionToSingleWord_Relabelled()
    {
        var corpus = new Corpus([AugTestData.S("in the cell nucleus .", "O O B-Gene I-Gene O")]);
        var s = new SynonymReplacement(OboLexicon(), new AugmentationOptions { Ratio = 1 }).Augment(corpus).Augmented.Sentences.Single();
        Assert.Equal("in the nucleus . | O O B-Gene O", AugTestData.Text(s));
    }

    [Theory]
    [InlineData("mention-replacement", typeof(MentionReplacement))]
    [InlineData("lwtr", typeof(LabelwiseTokenReplacement))]
    [InlineData("sis", typeof(ShuffleWithinSegments))]
    [InlineData("synonym", typeof(SynonymReplacement))]
    public void Create_KnownMethod_ReturnsAugmenterWithThatName(string method, Type type)
    {
        var aug = Augmenters.Create(method, new AugmentationOptions(), new TermLexicon());
        Assert.IsType(type, aug);
        Assert.Equal(method, aug.Name);
    }

    [Fact]
    public void Create_UnknownMethodOrMissingLexicon_Throws()
    {
        Assert.Contains("--method", Assert.Throws<BioNerException>(() => Augmenters.Create("eda", new AugmentationOptions())).Message);
        Assert.Contains("--terms", Assert.Throws<BioNerException>(() => Augmenters.Create("synonym", new AugmentationOptions())).Message);
    }
}
