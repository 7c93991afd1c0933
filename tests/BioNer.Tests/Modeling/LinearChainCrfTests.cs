using BioNer.Data;
using BioNer.Inference;
using BioNer.Modeling;
using static TorchSharp.torch;

namespace BioNer.Tests.Modeling;

/// <summary>The CRF head's loss and decoding against brute-force enumeration of every label sequence.</summary>
public class LinearChainCrfTests
{
    private static readonly string[] Labels = ["O", "B-A", "I-A", "B-B", "I-B"];

    private static IEnumerable<int[]> AllPaths(int n, int l)
    {
        var seq = new int[n];
        for (long code = 0; code < (long)Math.Pow(l, n); code++)
        {
            long c = code;
            for (int t = n - 1; t >= 0; t--) { seq[t] = (int)(c % l); c /= l; }
            yield return (int[])seq.Clone();
        }
    }

    // The CRF score of one path as the loss defines it: moves IOB2 forbids cost LinearChainCrf.Forbidden, the start is free.
    private static double PathScore(double[][] e, int[] y, CrfTransitions c)
    {
        double s = c.Start[y[0]] + e[0][y[0]];
        for (int t = 1; t < y.Length; t++)
            s += c.Moves[y[t - 1]][y[t]] + (Iob2.Allows(Labels[y[t - 1]], Labels[y[t]]) ? 0 : LinearChainCrf.Forbidden) + e[t][y[t]];
        return s + c.End[y[^1]];
    }

    private static double LogSumExp(IEnumerable<double> xs)
    {
        var a = xs.ToArray();
        double m = a.Max();
        return m + Math.Log(a.Sum(x => Math.Exp(x - m)));
    }

    private static CrfTransitions RandomScores(Random rng, int l, double scale = 1.5) => new(
        Enumerable.Range(0, l).Select(_ => scale * (rng.NextDouble() - 0.5)).ToArray(),
        Enumerable.Range(0, l).Select(_ => Enumerable.Range(0, l).Select(_ => 2 * scale * (rng.NextDouble() - 0.5)).ToArray()).ToArray(),
        Enumerable.Range(0, l).Select(_ => scale * (rng.NextDouble() - 0.5)).ToArray());

    private static void SetScores(LinearChainCrf crf, CrfTransitions c)
    {
        int l = c.Count;
        using var noGrad = no_grad();
        using var s = tensor(c.Start.Select(v => (float)v).ToArray());
        using var e = tensor(c.End.Select(v => (float)v).ToArray());
        using var m = tensor(c.Moves.SelectMany(r => r).Select(v => (float)v).ToArray(), [l, l]);
        crf.StartTransitions.copy_(s);
        crf.EndTransitions.copy_(e);
        crf.Transitions.copy_(m);
    }

    // A valid IOB2 path of length n (a window may start inside an entity: the first label is unconstrained).
    private static int[] RandomGold(Random rng, int n)
    {
        var y = new int[n];
        for (int t = 0; t < n; t++)
        {
            do y[t] = rng.Next(Labels.Length);
            while (t > 0 && !Iob2.Allows(Labels[y[t - 1]], Labels[y[t]]));
        }
        return y;
    }

    [Fact]
    public void NegativeLogLikelihood_RandomBatches_EqualsBruteForce()
    {
        var rng = new Random(5);
        int l = Labels.Length;
        using var crf = new LinearChainCrf(Labels);
        for (int trial = 0; trial < 20; trial++)
        {
            var scores = RandomScores(rng, l);
            SetScores(crf, scores);
            // Three rows of 7 sub-tokens: words at random positions (others −100), 1–4 words per row, one row without any.
            int b = 3, t = 7;
            var logits = new float[b * t * l];
            for (int i = 0; i < logits.Length; i++) logits[i] = (float)(3 * (rng.NextDouble() - 0.5));
            var labels = Enumerable.Repeat(-100L, b * t).ToArray();
            double expected = 0;
            long expectedWords = 0;
            for (int row = 0; row < b; row++)
            {
                int words = row == 2 && trial % 2 == 0 ? 0 : 1 + rng.Next(4);
                var positions = Enumerable.Range(0, t).OrderBy(_ => rng.Next()).Take(words).Order().ToArray();
                var gold = RandomGold(rng, words);
                for (int w = 0; w < words; w++) labels[row * t + positions[w]] = gold[w];
                if (words == 0) continue;
                var e = positions.Select(p => Enumerable.Range(0, l).Select(j => (double)logits[(row * t + p) * l + j]).ToArray()).ToArray();
                double logZ = LogSumExp(AllPaths(words, l).Select(y => PathScore(e, y, scores)));
                expected += logZ - PathScore(e, gold, scores);
                expectedWords += words;
            }
            using var scope = NewDisposeScope();
            var (sum, count) = crf.NegativeLogLikelihood(tensor(logits, [b, t, l]), tensor(labels, [b, t]));
            Assert.Equal(expectedWords, count);
            Assert.Equal(expected, sum.item<float>(), 1e-3 * Math.Max(1, Math.Abs(expected)));
        }
    }

    [Fact]
    public void NegativeLogLikelihood_Gradient_MatchesFiniteDifferences()
    {
        var rng = new Random(9);
        using var crf = new LinearChainCrf(Labels);
        SetScores(crf, RandomScores(rng, Labels.Length));
        int t = 5, l = Labels.Length;
        var logits = Enumerable.Range(0, t * l).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        long[] labels = [0, 1, 2, -100, 0];
        double Loss()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            return crf.NegativeLogLikelihood(tensor(logits, [1, t, l]), tensor(labels, [1, t])).Sum.item<float>();
        }
        using (var scope = NewDisposeScope())
        {
            crf.zero_grad();
            crf.NegativeLogLikelihood(tensor(logits, [1, t, l]), tensor(labels, [1, t])).Sum.backward();
        }
        var analytic = crf.Transitions.grad!.data<float>().ToArray();
        const float h = 1e-2f;
        foreach (int cell in new[] { 0, 1 * l + 2, 3 * l + 4, 2 * l + 0, 4 * l + 4 })
        {
            double Shifted(float by)
            {
                using (no_grad())
                using (var c = crf.Transitions.view(-1)[cell]) c.add_(by);
                return Loss();
            }
            double up = Shifted(h), down = Shifted(-2 * h);
            Shifted(h);
            Assert.Equal((up - down) / (2 * h), analytic[cell], 2e-3);
        }
    }

    [Fact]
    public void WordLevel_GathersEachRowsLabelledPositionsInOrder()
    {
        using var scope = NewDisposeScope();
        var logits = arange(2 * 4 * 2, ScalarType.Float32).view(2, 4, 2);     // logit (b, t, j) = (b*4 + t)*2 + j
        var labels = tensor(new long[] { -100, 1, -100, 0, 1, 1, 0, -100 }, [2, 4]);
        var (emissions, tags, mask) = LinearChainCrf.WordLevel(logits, labels);
        Assert.Equal(new long[] { 2, 3, 2 }, emissions.shape);
        Assert.Equal(new float[] { 2, 3, 6, 7, 0, 1, 8, 9, 10, 11, 12, 13 }, emissions.data<float>().ToArray());
        Assert.Equal(new long[] { 1, 0, 0, 1, 1, 0 }, tags.data<long>().ToArray());
        Assert.Equal(new[] { true, true, false, true, true, true }, mask.data<bool>().ToArray());
    }

    /// <summary>The best path IOB2 allows (start included) under emission + CRF scores, by exhaustive search.</summary>
    private static int[] BruteForceBest(double[][] e, CrfTransitions c)
    {
        int[]? best = null;
        double bestScore = double.NegativeInfinity;
        foreach (var y in AllPaths(e.Length, Labels.Length))
        {
            bool valid = Enumerable.Range(0, y.Length).All(t => Iob2.Allows(t == 0 ? null : Labels[y[t - 1]], Labels[y[t]]));
            if (!valid) continue;
            double s = PathScore(e, y, c);
            if (s > bestScore) (bestScore, best) = (s, y);
        }
        return best!;
    }

    [Fact]
    public void Viterbi_WithCrfScores_EqualsBruteForce_AndSoftmaxInputGivesTheSamePath()
    {
        var rng = new Random(23);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = 1 + trial % 6;
            var scores = RandomScores(rng, Labels.Length, scale: 3);
            var e = Enumerable.Range(0, n).Select(_ => Labels.Select(lab => 3 * rng.NextDouble() + (lab.StartsWith('I') ? 1 : 0)).ToArray()).ToArray();
            var expected = BruteForceBest(e, scores);
            Assert.Equal(expected, ConstrainedDecoding.Viterbi(e, Labels, scores));
            // What the pipeline passes: softmax probabilities of the emissions (log-softmax = emissions − one constant per word).
            var probs = e.Select(row =>
            {
                double z = row.Sum(Math.Exp);
                return row.Select(v => (float)(Math.Exp(v) / z)).ToArray();
            }).ToList();
            Assert.Equal(expected, ConstrainedDecoding.Decode(probs, Labels, scores));
        }
    }

    [Fact]
    public void FreshCrf_DecodesAsPlainConstrainedDecoding()
    {
        using var crf = new LinearChainCrf(Labels);
        var zero = crf.ToTransitions();
        Assert.All(zero.Moves.SelectMany(r => r).Concat(zero.Start).Concat(zero.End), v => Assert.Equal(0.0, v));
        var rng = new Random(3);
        for (int trial = 0; trial < 50; trial++)
        {
            var p = Enumerable.Range(0, 5).Select(_ =>
            {
                var raw = Labels.Select(_ => (float)rng.NextDouble() + 0.01f).ToArray();
                return raw.Select(x => x / raw.Sum()).ToArray();
            }).ToList();
            Assert.Equal(ConstrainedDecoding.Decode(p, Labels), ConstrainedDecoding.Decode(p, Labels, zero));
        }
    }

    [Fact]
    public void CrfTransitions_JsonRoundTrip_AndWrongShapeNamesTheKey()
    {
        var scores = RandomScores(new Random(1), 3);
        var back = CrfTransitions.FromJson(scores.ToJson(), 3, "config.json");
        Assert.Equal(scores.Start, back.Start);
        Assert.Equal(scores.End, back.End);
        Assert.Equal(scores.Moves.SelectMany(r => r), back.Moves.SelectMany(r => r));
        var e = Assert.Throws<BioNerException>(() => CrfTransitions.FromJson(scores.ToJson(), 4, "export/config.json"));
        Assert.Contains("bioner_crf.start_transitions", e.Message);
        Assert.StartsWith("export/config.json: ", e.Message);
    }
}
