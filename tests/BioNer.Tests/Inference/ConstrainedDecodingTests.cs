using BioNer.Data;
using BioNer.Inference;

namespace BioNer.Tests.Inference;

/// <summary>IOB2-constrained Viterbi against brute-force enumeration of every label sequence, and through the pipeline.</summary>
public class ConstrainedDecodingTests
{
    private static readonly string[] Labels = ["O", "B-A", "I-A", "B-B", "I-B"];

    [Theory]
    [InlineData(null, "O", true)]
    [InlineData(null, "B-A", true)]
    [InlineData(null, "I-A", false)]
    [InlineData("O", "I-A", false)]
    [InlineData("B-A", "I-A", true)]
    [InlineData("I-A", "I-A", true)]
    [InlineData("B-B", "I-A", false)]
    [InlineData("I-B", "I-A", false)]
    [InlineData("I-A", "B-A", true)]
    [InlineData("I-A", "O", true)]
    [InlineData("B-AB", "I-A", false)]
    [InlineData("O", "X", true)]
    public void Allows_IsTheIob2Rule(string? from, string to, bool allowed) => Assert.Equal(allowed, Iob2.Allows(from, to));

    /// <summary>The best valid sequence by exhaustive search (sum of log probabilities, first found wins ties).</summary>
    private static int[] BruteForce(float[][] p)
    {
        int n = p.Length, l = Labels.Length;
        int[]? best = null;
        double bestScore = double.NegativeInfinity;
        var seq = new int[n];
        for (long code = 0; code < (long)Math.Pow(l, n); code++)
        {
            long c = code;
            for (int t = n - 1; t >= 0; t--) { seq[t] = (int)(c % l); c /= l; }
            bool valid = true;
            for (int t = 0; t < n && valid; t++) valid = Iob2.Allows(t == 0 ? null : Labels[seq[t - 1]], Labels[seq[t]]);
            if (!valid) continue;
            double s = seq.Select((j, t) => Math.Log(p[t][j])).Sum();
            if (s > bestScore) (bestScore, best) = (s, (int[])seq.Clone());
        }
        return best!;
    }

    [Fact]
    public void Decode_RandomSentences_EqualsBruteForceAndIsAlwaysValid()
    {
        var rng = new Random(17);
        for (int trial = 0; trial < 300; trial++)
        {
            int n = 1 + trial % 6;
            var p = Enumerable.Range(0, n).Select(_ =>
            {
                // Peaked distributions, I- labels often on top, so the constraint matters in most cases.
                var raw = Labels.Select((lab, j) => (float)Math.Exp(3 * rng.NextDouble() + (lab.StartsWith('I') ? 1 : 0))).ToArray();
                float sum = raw.Sum();
                return raw.Select(x => x / sum).ToArray();
            }).ToArray();
            var viterbi = ConstrainedDecoding.Decode(p, Labels);
            Assert.Equal(BruteForce(p), viterbi);
            Assert.Equal(n, viterbi.Length);
        }
    }

    [Fact]
    public void Decode_OrphanInsideByArgmax_BecomesAValidSpan()
    {
        float[] inside = [0.05f, 0.25f, 0.6f, 0.05f, 0.05f];            // argmax I-A, B-A second
        float[] outside = [0.9f, 0.025f, 0.025f, 0.025f, 0.025f];
        Assert.Equal(["O", "B-A", "I-A"], ConstrainedDecoding.Decode([outside, inside, inside], Labels).Select(i => Labels[i]));
        Assert.Equal(["B-A"], ConstrainedDecoding.Decode([inside], Labels).Select(i => Labels[i]));
        Assert.Empty(ConstrainedDecoding.Decode([], Labels));
    }

    [Fact]
    public void Decode_OnlyInsideLabels_FallsBackToArgmax()
    {
        Assert.Equal([1, 0], ConstrainedDecoding.Decode([[0.2f, 0.8f], [0.7f, 0.3f]], ["I-A", "I-B"]));
    }

    [Fact]
    public void Pipeline_ConstrainedDecode_NoOrphanInsideWhereArgmaxHasOne()
    {
        var lexicon = new Dictionary<string, string> { ["acetyl"] = "I-Chemical", ["CoA"] = "I-Chemical", ["binds"] = "O" };
        using var pipeline = new NerPipeline(new DictionaryScorer(lexicon), new NerOptions());
        IReadOnlyList<string>[] sentences = [["binds", "acetyl", "CoA"]];
        Assert.Equal(["O", "I-Chemical", "I-Chemical"], pipeline.Decode(sentences).Labels[0]);
        Assert.Equal(["O", "B-Chemical", "I-Chemical"], pipeline.Decode(sentences, new WordDecoding { Constrained = true }).Labels[0]);
    }

    [Fact]
    public void Predict_ConstrainedOption_JoinsAnOrphanIntoOneEntityWhereArgmaxSplitsIt()
    {
        var lexicon = new Dictionary<string, string> { ["acetyl"] = "I-Gene", ["CoA"] = "I-Chemical" };
        using var argmax = new NerPipeline(new DictionaryScorer(lexicon), new NerOptions());
        using var constrained = new NerPipeline(new DictionaryScorer(lexicon), new NerOptions { Constrained = true });
        const string text = "binds acetyl CoA today";
        Assert.Equal(["Gene:acetyl", "Chemical:CoA"], argmax.Predict(text).Select(e => $"{e.Type}:{e.Text}"));
        var joined = constrained.Predict(text);
        Assert.Equal(["Chemical:acetyl CoA"], joined.Select(e => $"{e.Type}:{e.Text}"));
        Assert.Equal(["O", "B-Chemical", "I-Chemical", "O"], constrained.LabelWords([["binds", "acetyl", "CoA", "today"]])[0]);
        Assert.Throws<BioNerException>(() => constrained.Predict(text, AggregationStrategy.Simple));
    }

    [Fact]
    public void BatchSettings_DecodeDiffers_IsReportedAsADifference()
    {
        var a = new BioNer.Batch.BatchSettings { Model = "m", ModelSha256 = "abc", Format = "pubtator", Offsets = "codepoints", Aggregation = "first", Runtime = "torch" };
        Assert.Empty(a.Differences(a with { }));
        Assert.Contains("decode: argmax → constrained", a.Differences(a with { Decode = "constrained" }));
    }
}
