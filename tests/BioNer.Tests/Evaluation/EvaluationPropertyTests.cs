using BioNer.Evaluation;
using static BioNer.Tests.Evaluation.EvalTestData;

namespace BioNer.Tests.Evaluation;

/// <summary>
/// Randomized checks against a straightforward string-based port of seqeval's get_entities (sets of (type, start,
/// end) over the flattened sequence) and the identity F1 = 2PR/(P+R).
/// </summary>
public class EvaluationPropertyTests
{
    private static readonly string[] Labels =
        ["O", "O", "O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "E-LOC", "S-PER", "I-Chem", "B-Chem", "L-PER", "U-LOC"];

    [Fact]
    public void Evaluate_RandomSequences_EqualsReferenceImplementation()
    {
        var random = new Random(1234);
        for (int round = 0; round < 300; round++)
        {
            var (gold, pred) = RandomPair(random);
            var counts = SeqevalMetrics.Count(gold, pred);
            var goldSet = ReferenceEntities(gold);
            var predSet = ReferenceEntities(pred);
            long tp = goldSet.Intersect(predSet).Count();
            Assert.Equal((tp, (long)predSet.Count, (long)goldSet.Count), (counts.TruePositives, counts.Predicted, counts.Gold));
            var tokens = gold.SelectMany(s => s).Zip(pred.SelectMany(s => s)).ToList();
            Assert.Equal(tokens.Count(t => t.First == t.Second), counts.CorrectTokens);

            var report = SeqevalMetrics.Evaluate(gold, pred).Report;
            foreach (var row in report.Types)
            {
                Assert.Equal(goldSet.Count(e => e.Type == row.Name), row.Support);
            }
        }
    }

    [Fact]
    public void Evaluate_RandomSequences_MicroF1IsHarmonicMean()
    {
        var random = new Random(99);
        for (int round = 0; round < 300; round++)
        {
            var (gold, pred) = RandomPair(random);
            var result = SeqevalMetrics.Evaluate(gold, pred);
            var c = result.Counts;
            double p = c.Predicted == 0 ? 0 : (double)c.TruePositives / c.Predicted;
            double r = c.Gold == 0 ? 0 : (double)c.TruePositives / c.Gold;
            Assert.Equal((p, r), (result.Precision, result.Recall));
            Assert.Equal(p + r == 0 ? 0 : 2 * p * r / (p + r), result.F1, 12);
            Assert.Equal(result.F1, c.F1);
            if (result.Report.Types.Count == 0) Assert.True(double.IsNaN(result.Report.MacroAvg.F1));
            else Assert.InRange(result.Report.MacroAvg.F1, 0, 1);
        }
    }

    [Fact]
    public void EntityCounts_SplitIntoBatches_SumEqualsWhole()
    {
        var random = new Random(7);
        var (gold, pred) = RandomPair(random, sentences: 40);
        var whole = SeqevalMetrics.Count(gold, pred);
        var sum = SeqevalMetrics.Count(gold.Take(17).ToList(), pred.Take(17).ToList()) +
                  SeqevalMetrics.Count(gold.Skip(17).ToList(), pred.Skip(17).ToList());
        Assert.Equal(whole, sum);
    }

    private static (IReadOnlyList<IReadOnlyList<string>>, IReadOnlyList<IReadOnlyList<string>>) RandomPair(Random random,
        int? sentences = null)
    {
        int n = sentences ?? random.Next(1, 8);
        var gold = new List<IReadOnlyList<string>>();
        var pred = new List<IReadOnlyList<string>>();
        for (int s = 0; s < n; s++)
        {
            int length = random.Next(0, 12);
            var g = Enumerable.Range(0, length).Select(_ => Labels[random.Next(Labels.Length)]).ToList();
            gold.Add(g);
            pred.Add(g.Select(l => random.NextDouble() < 0.7 ? l : Labels[random.Next(Labels.Length)]).ToList());
        }
        return (gold, pred);
    }

    /// <summary>seqeval get_entities written the plain way: strings, a flattened list, no interning.</summary>
    private static HashSet<(string Type, int Start, int End)> ReferenceEntities(IReadOnlyList<IReadOnlyList<string>> seqs)
    {
        var flat = seqs.SelectMany(s => s.Append("O")).Append("O").ToList();
        var chunks = new HashSet<(string, int, int)>();
        string prevTag = "O", prevType = "";
        int begin = 0;
        for (int i = 0; i < flat.Count; i++)
        {
            string tag = flat[i][..1];
            string type = flat[i].Length > 2 ? flat[i][2..] : "_";
            bool end = prevTag is "E" or "S" || (prevTag is "B" or "I" && tag is "B" or "S" or "O") ||
                       (prevTag != "O" && prevType != type);
            bool start = tag is "B" or "S" || (prevTag is "E" or "S" or "O" && tag is "E" or "I") ||
                         (tag != "O" && prevType != type);
            if (end) chunks.Add((prevType, begin, i - 1));
            if (start) begin = i;
            (prevTag, prevType) = (tag, type);
        }
        return chunks;
    }
}
