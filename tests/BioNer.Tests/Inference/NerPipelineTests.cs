using BioNer.Data;
using BioNer.Inference;

namespace BioNer.Tests.Inference;

public class NerPipelineTests
{
    private static readonly Dictionary<string, string> Lexicon = new()
    {
        ["aspirin"] = "B-Chemical", ["acetylsalicylic"] = "B-Chemical", ["acid"] = "I-Chemical",
        ["BRCA1"] = "B-Gene", ["🧬"] = "B-Emoji", ["café"] = "B-Chemical", ["α"] = "B-Chemical", ["synuclein"] = "I-Chemical",
    };

    private static string Describe(IEnumerable<Entity> entities) => string.Join(" | ", entities.Select(e => $"{e.Type}:{e.Start}-{e.End}:{e.Text}"));

    [Fact]
    public void Predict_TrickyText_OffsetsIndexOriginalString()
    {
        string text = "BRCA1\tbinds 🧬 and aspirin.\r\nThen aspirin again; café α-synuclein 😀 acetylsalicylic acid\r\n";
        using var pipeline = new NerPipeline(new DictionaryScorer(Lexicon));
        var entities = pipeline.Predict(text);
        foreach (var e in entities) Assert.Equal(text[e.Start..e.End], e.Text);
        int a1 = text.IndexOf("aspirin", StringComparison.Ordinal), a2 = text.IndexOf("aspirin", a1 + 1, StringComparison.Ordinal);
        int acid = text.IndexOf("acetylsalicylic", StringComparison.Ordinal);
        Assert.Equal(
            $"Gene:0-5:BRCA1 | Emoji:12-14:🧬 | Chemical:{a1}-{a1 + 7}:aspirin | Chemical:{a2}-{a2 + 7}:aspirin | " +
            $"Chemical:{text.IndexOf("café", StringComparison.Ordinal)}-{text.IndexOf("café", StringComparison.Ordinal) + 4}:café | " +
            $"Chemical:{text.IndexOf('α')}-{text.IndexOf('α') + 1}:α | " +
            $"Chemical:{text.IndexOf('α') + 2}-{text.IndexOf('α') + 11}:synuclein | " + // I- after O opens a new entity (HF)
            $"Chemical:{acid}-{acid + "acetylsalicylic acid".Length}:acetylsalicylic acid",
            Describe(entities));
    }

    [Fact]
    public void Predict_NoneStrategy_SubTokenSpansNeverSplitSurrogatePairs()
    {
        string text = "x 🧬🧬 acetylsalicylic";
        using var pipeline = new NerPipeline(new DictionaryScorer(Lexicon));
        var doc = pipeline.Score([text])[0];
        foreach (var t in doc.Tokens)
        {
            Assert.False(char.IsLowSurrogate(text[t.Start]), $"token starts inside a surrogate pair at {t.Start}");
            Assert.False(t.End < text.Length && char.IsLowSurrogate(text[t.End]), $"token ends inside a surrogate pair at {t.End}");
        }
        var pieces = pipeline.Predict(text, AggregationStrategy.None);
        Assert.Equal("B-Emoji:2-4:🧬 | B-Emoji:4-6:🧬 | B-Chemical:7-10:ace | I-Chemical:10-13:tyl | I-Chemical:13-16:sal | I-Chemical:16-19:icy | I-Chemical:19-22:lic", Describe(pieces));
    }

    [Fact]
    public void Score_DocumentFarLongerThanWindow_EveryWordScoredExactlyOnce()
    {
        // ~3,000 words: long run-on "sentences" and a few short ones, through 40-sub-token windows.
        var rng = new Random(7);
        string[] phrases = ["the", "aspirin", "patient", "received", "BRCA1", "mutation", "carriers", "acetylsalicylic acid"];
        var sb = new System.Text.StringBuilder();
        var expected = new List<string>();
        for (int i = 0; i < 2600; i++)
        {
            string phrase = i % 700 == 699 ? "." : phrases[rng.Next(phrases.Length)];
            if (sb.Length > 0) sb.Append(i % 500 == 0 ? "\r\n" : i % 7 == 0 ? "\t" : " ");
            int start = sb.Length;
            sb.Append(phrase);
            string? type = phrase switch { "aspirin" or "acetylsalicylic acid" => "Chemical", "BRCA1" => "Gene", _ => null };
            if (type is not null) expected.Add($"{type}:{start}-{sb.Length}:{phrase}");
        }
        string text = sb.ToString();
        var words = WordTokenizer.Tokenize(text);
        Assert.True(words.Count > 2800);
        var scorer = new DictionaryScorer(Lexicon, maxSubTokens: 500);
        using var pipeline = new NerPipeline(scorer, new NerOptions { MaxSubTokens = 40, Stride = 12, BatchSize = 8 });

        var doc = pipeline.Score([text])[0];

        Assert.Equal(words.Count, doc.Words.Count);
        var firsts = doc.Tokens.Where(t => !t.IsSubword).ToList();
        Assert.Equal(doc.Words.Select(w => w.Start), firsts.Select(t => t.Start));
        Assert.True(pipeline.WindowsScored > words.Count / 40, $"only {pipeline.WindowsScored} windows");
        Assert.True(scorer.WindowLengths.Sum() > doc.Tokens.Count, "over-long sentences must be covered by overlapping windows");
        Assert.All(scorer.WindowLengths, n => Assert.InRange(n, 1, 40));
        Assert.True(scorer.Calls >= pipeline.WindowsScored / 8);
        Assert.Equal(string.Join(" | ", expected), Describe(doc.Entities()));
    }

    [Fact]
    public void Score_ShortSentences_PackedWithoutOverlap()
    {
        string text = string.Join(" ", Enumerable.Repeat("The aspirin works.", 30));
        var scorer = new DictionaryScorer(Lexicon);
        using var pipeline = new NerPipeline(scorer, new NerOptions { MaxSubTokens = 20 });
        var doc = pipeline.Score([text])[0];
        // The|asp iri n|wor ks|. = 7 sub-tokens per sentence → 2 whole sentences per 20-sub-token window → 15 windows.
        Assert.Equal(15, pipeline.WindowsScored);
        Assert.Equal(doc.Tokens.Count, scorer.WindowLengths.Sum());
        Assert.Equal(30, doc.Entities().Count);
    }

    [Fact]
    public void Predict_ManyTextsIncludingEmpty_OneResultEach()
    {
        using var pipeline = new NerPipeline(new DictionaryScorer(Lexicon), new NerOptions { BatchSize = 2 });
        var results = pipeline.Predict(["aspirin", "", "   \r\n", "no entity here", "BRCA1 BRCA1"]);
        Assert.Equal(["Chemical:0-7:aspirin", "", "", "", "Gene:0-5:BRCA1 | Gene:6-11:BRCA1"], results.Select(Describe));
    }

    [Fact]
    public void Predict_ConcurrentCallers_SameResultsAsSequential()
    {
        using var pipeline = new NerPipeline(new DictionaryScorer(Lexicon), new NerOptions { MaxSubTokens = 16, Stride = 4 });
        var texts = Enumerable.Range(0, 64).Select(i => string.Join(" ", Enumerable.Repeat($"aspirin x{i} BRCA1 y", 1 + i % 7))).ToList();
        var sequential = texts.Select(t => Describe(pipeline.Predict(t))).ToList();
        var parallel = new string[texts.Count];
        Parallel.For(0, texts.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => parallel[i] = Describe(pipeline.Predict(texts[i])));
        Assert.Equal(sequential, parallel);
    }

    [Theory]
    [InlineData(new[] { 3, 3, 3, 3 }, 6, 0, "0+2 2+2")]
    [InlineData(new[] { 1, 1, 1, 1, 1, 1, 1, 1 }, 4, 2, "0+4 2+4 4+4")]
    [InlineData(new[] { 5, 1, 1 }, 3, 1, "0+1 1+2")]
    public void Plan_OneLongSentence_OverlappingWindowsCoverAll(int[] subTokens, int budget, int stride, string expected)
    {
        var windows = WindowPlanner.Plan(subTokens, [(0, subTokens.Length)], budget, stride);
        Assert.Equal(expected, string.Join(" ", windows.Select(w => $"{w.FirstWord}+{w.WordCount}")));
    }

    [Fact]
    public void Owners_OverlappedWord_GoesToWindowWithMoreContext()
    {
        var windows = new[] { new Window(0, 6), new Window(3, 6) };
        var owners = WindowPlanner.Owners(windows, 9, (_, _) => 0);
        // word 3: context 2 in w0 (3..5 right), 0 in w1 → w0; word 5: 0 in w0, 2 in w1 → w1; word 4: 1 vs 1 → tie → w0.
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1], owners);
    }
}
