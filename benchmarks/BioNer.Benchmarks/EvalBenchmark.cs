using BioNer.Data;
using BioNer.Evaluation;

namespace BioNer.Benchmarks;

/// <summary>
/// Times <see cref="SeqevalMetrics"/> on synthetic but realistic data: sentences of 15–35 tokens (mean 25), about 10%
/// entity tokens over 6 types in IOB2, entities of 1–4 tokens, and predictions that differ from gold on ~8% of entities
/// (type swaps, boundary shifts, misses, spurious entities). Labels are fresh string instances per token, as a file
/// reader produces them, so interning is part of the measured cost.
/// </summary>
public static class EvalBenchmark
{
    private static readonly string[] Types = ["Chemical", "Disease", "Gene", "Species", "Cell", "Protein"];

    public static int Run(string[] args)
    {
        int tokens = Timing.IntOption(args, "--tokens", 1_000_000);
        int runs = Timing.IntOption(args, "--runs", 7);
        var (gold, pred) = Generate(tokens, new Random(42));
        long entityTokens = gold.Sum(s => (long)s.Count(l => l != "O"));
        Console.WriteLine($"eval: {gold.Count} sentences, {gold.Sum(s => s.Count)} tokens, " +
                          $"{100.0 * entityTokens / gold.Sum(s => s.Count):F1}% entity tokens, {Types.Length} types; " +
                          $"{Environment.ProcessorCount} cores, .NET {Environment.Version}");

        EvaluationResult? result = null;
        Report("Evaluate (default mode, full report)", Timing.Measure(() => result = SeqevalMetrics.Evaluate(gold, pred), 2, runs));
        Report("Evaluate (strict IOB2, full report)", Timing.Measure(() =>
            SeqevalMetrics.Evaluate(gold, pred, EvaluationMode.Strict, TaggingScheme.IOB2), 2, runs));
        Report("Count (default mode, counts only)", Timing.Measure(() => SeqevalMetrics.Count(gold, pred), 2, runs));
        Console.WriteLine($"micro P/R/F1 = {result!.Precision:F4}/{result.Recall:F4}/{result.F1:F4}, accuracy {result.Accuracy:F4}");
        Console.Write(result.Report.ToText(4));
        return 0;
    }

    private static void Report(string what, (double MedianMs, double MinMs, double MaxMs, double CpuMedianMs) t) =>
        Console.WriteLine($"{what,-38} wall median {t.MedianMs,7:F1} ms (min {t.MinMs:F1}, max {t.MaxMs:F1}); " +
                          $"CPU median {t.CpuMedianMs:F1} ms");

    private static (List<IReadOnlyList<string>> Gold, List<IReadOnlyList<string>> Pred) Generate(int tokens, Random random)
    {
        var gold = new List<IReadOnlyList<string>>();
        var pred = new List<IReadOnlyList<string>>();
        for (int total = 0; total < tokens;)
        {
            int length = Math.Min(random.Next(15, 36), tokens - total);
            var g = GoldSentence(length, random);
            gold.Add(g.Select(Fresh).ToList());
            pred.Add(Perturb(g, random).Select(Fresh).ToList());
            total += length;
        }
        return (gold, pred);
    }

    private static string[] GoldSentence(int length, Random random)
    {
        var labels = Enumerable.Repeat("O", length).ToArray();
        for (int i = 0; i < length; i++)
        {
            if (random.NextDouble() >= 0.045) continue; // ~0.045 entities per token × mean length 2.2 ≈ 10% entity tokens
            string type = Types[random.Next(Types.Length)];
            int size = Math.Min(random.Next(1, 5), length - i);
            labels[i] = "B-" + type;
            for (int k = 1; k < size; k++) labels[i + k] = "I-" + type;
            i += size;
        }
        return labels;
    }

    private static string[] Perturb(string[] gold, Random random)
    {
        var pred = (string[])gold.Clone();
        for (int i = 0; i < pred.Length; i++)
        {
            double roll = random.NextDouble();
            if (gold[i].StartsWith("B-", StringComparison.Ordinal) && roll < 0.08)
            {
                string type = Types[random.Next(Types.Length)];
                pred[i] = roll < 0.03 ? "O" : roll < 0.06 ? "B-" + type : "I-" + gold[i][2..]; // miss, type swap, I- start
            }
            else if (gold[i] == "O" && roll < 0.005)
            {
                pred[i] = "B-" + Types[random.Next(Types.Length)]; // spurious entity
            }
        }
        return pred;
    }

    private static string Fresh(string label) => new(label.AsSpan());
}
