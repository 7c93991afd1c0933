using BioNer.Tokenization;

namespace BioNer.Tests.Tokenization;

/// <summary>Label alignment (run_ner.py semantics) and window splitting on the wordpiece-tiny vocabulary.</summary>
public class WordEncoderTests
{
    // Sub-token counts in wordpiece-tiny: genes = gene ##s (2), want (1), running = runn ##ing (2), unwanted = un ##want ##ed (3).
    private static readonly HfTokenizer Tok = HfTokenizer.FromWordPieceVocab(
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "fixtures", "wordpiece-tiny", "vocab.txt")));

    private const int X = WordEncoder.IgnoreIndex;

    [Fact]
    public void Encode_FirstSubTokenOnly_OthersAndSpecialsIgnored()
    {
        var seq = Assert.Single(WordEncoder.Encode(Tok, ["genes", "want", "running"], [1, 0, 3], 7, 32));
        Assert.Equal(new[] { 1, 21, 22, 5, 10, 11, 2 }, seq.InputIds);
        Assert.Equal(new[] { -1, 0, 0, 1, 2, 2, -1 }, seq.WordIds);
        Assert.Equal(new[] { X, 1, X, 0, 3, X, X }, seq.LabelIds);
        Assert.Equal((7, 0, 3), (seq.SentenceIndex, seq.FirstWord, seq.WordCount));
    }

    [Fact]
    public void Encode_LabelAllTokens_BeginBecomesInsideOnLaterSubTokens()
    {
        var seq = WordEncoder.Encode(Tok, ["genes", "want", "running"], [1, 0, 3], 0, 32,
                                     labelAllTokens: true, beginToInside: id => id is 1 or 3 ? id + 1 : id)[0];
        Assert.Equal(new[] { X, 1, 2, 0, 3, 4, X }, seq.LabelIds);
        var noMap = WordEncoder.Encode(Tok, ["genes", "running"], [1, 3], 0, 32, labelAllTokens: true)[0];
        Assert.Equal(new[] { X, 1, 1, 3, 3, X }, noMap.LabelIds);
    }

    [Fact]
    public void Encode_NoLabels_AllIgnoredButWordIdsKept()
    {
        var seq = WordEncoder.Encode(Tok, ["genes", "want"], null, 0, 32)[0];
        Assert.All(seq.LabelIds, l => Assert.Equal(X, l));
        Assert.Equal(new[] { -1, 0, 0, 1, -1 }, seq.WordIds);
    }

    [Fact]
    public void Encode_TooLong_SplitsAtWordBoundariesWithoutLosingWords()
    {
        string[] words = ["genes", "want", "running", "unwanted", "want"];
        var seqs = WordEncoder.Encode(Tok, words, [1, 2, 0, 3, 4], 0, maxLength: 5);
        Assert.Equal(new[] { (0, 2), (2, 1), (3, 1), (4, 1) }, seqs.Select(s => (s.FirstWord, s.WordCount)));
        Assert.Equal(new[] { 1, 21, 22, 5, 2 }, seqs[0].InputIds);
        Assert.Equal(new[] { X, 1, X, 2, X }, seqs[0].LabelIds);
        Assert.Equal(new[] { 1, 9, 6, 7, 2 }, seqs[2].InputIds);
        Assert.All(seqs, s => Assert.True(s.Length <= 5));
        Assert.Equal(new[] { 1, 2, 0, 3, 4 }, seqs.SelectMany(s => s.LabelIds.Where(l => l != X)));
    }

    [Fact]
    public void Encode_SingleWordLongerThanWindow_TruncatedButPresent()
    {
        var seqs = WordEncoder.Encode(Tok, ["want", "unwanted", "want"], [0, 5, 0], 0, maxLength: 4);
        Assert.Equal(3, seqs.Count);
        Assert.Equal(new[] { 1, 9, 6, 2 }, seqs[1].InputIds);
        Assert.Equal(new[] { X, 5, X, X }, seqs[1].LabelIds);
        Assert.Equal(new[] { -1, 1, 1, -1 }, seqs[1].WordIds);
    }

    [Fact]
    public void Encode_EmptySentence_NoSequences()
    {
        Assert.Empty(WordEncoder.Encode(Tok, [], [], 0, 16));
    }

    [Fact]
    public void Encode_BadInput_ThrowsNamingTheProblem()
    {
        var e = Assert.Throws<BioNerException>(() => WordEncoder.Encode(Tok, ["want"], [0, 1], 3, 16));
        Assert.Contains("sentence 3 has 1 words but 2 labels", e.Message);
        Assert.Contains("maxLength", Assert.Throws<BioNerException>(() => WordEncoder.Encode(Tok, ["want"], null, 0, 2)).Message);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(12)]
    [InlineData(5)]
    public void Encode_RealRobertaText_EveryWordInExactlyOneWindow(int maxLength)
    {
        var tok = HfTokenizer.Load(RobertaParityTests.FixtureDir);
        string text = "Mutations in the Brca1 gene cause tumours in mice . TGF-β1 ( transforming growth factor β1 ) " +
                      "binds its receptor at 37 °C ; Na+/K+-ATPase , Ca2+ and H2O2 were measured ( n = 12 , p < 0.05 ) .";
        var words = text.Split(' ');
        var plain = WordEncoder.Encode(tok, words, null, 0, maxLength);
        Assert.Equal(words.Length, plain.Sum(s => s.WordCount));
        Assert.All(plain, s => Assert.True(s.Length <= maxLength));
        Assert.Equal(Enumerable.Range(0, words.Length), plain.SelectMany(s => Enumerable.Range(s.FirstWord, s.WordCount)));
    }
}
