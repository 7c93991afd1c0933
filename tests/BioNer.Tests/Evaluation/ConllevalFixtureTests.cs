using BioNer.Evaluation;

namespace BioNer.Tests.Evaluation;

/// <summary>
/// The CoNLL-2000 example output with conlleval.pl's published figures (fixtures/eval/README.md): the default mode
/// is conlleval-compatible, so counts and percentages must agree.
/// </summary>
public class ConllevalFixtureTests
{
    private static (List<IReadOnlyList<string>> Gold, List<IReadOnlyList<string>> Pred) Load()
    {
        var gold = new List<IReadOnlyList<string>>();
        var pred = new List<IReadOnlyList<string>>();
        List<string> g = [], p = [];
        foreach (var line in File.ReadLines(EvalTestData.Fixture("conll2000_output_example.txt")).Append(""))
        {
            if (line.Trim().Length == 0)
            {
                if (g.Count > 0) { gold.Add(g); pred.Add(p); g = []; p = []; }
                continue;
            }
            var columns = line.Split(' ');
            g.Add(columns[2]);
            p.Add(columns[3]);
        }
        return (gold, pred);
    }

    [Fact]
    public void Evaluate_Conll2000Example_EqualsConllevalTotals()
    {
        var (gold, pred) = Load();
        var result = SeqevalMetrics.Evaluate(gold, pred);
        Assert.Equal(new EntityCounts(371, 539, 459, result.Counts.CorrectTokens, 961), result.Counts);
        Assert.Equal("84.08", Percent(result.Accuracy));
        Assert.Equal("68.83", Percent(result.Precision));
        Assert.Equal("80.83", Percent(result.Recall));
        Assert.Equal("74.35", Percent(result.F1));
    }

    [Theory]
    [InlineData("ADJP", "0.00", "0.00", "0.00", 1)]
    [InlineData("ADVP", "45.45", "62.50", "52.63", 11)]
    [InlineData("NP", "64.98", "78.63", "71.16", 317)]
    [InlineData("PP", "83.18", "98.89", "90.36", 107)]
    [InlineData("SBAR", "66.67", "33.33", "44.44", 3)]
    [InlineData("VP", "69.00", "79.31", "73.80", 100)]
    public void Evaluate_Conll2000Example_EqualsConllevalPerType(string type, string precision, string recall,
        string f1, int found)
    {
        var (gold, pred) = Load();
        var report = SeqevalMetrics.Evaluate(gold, pred).Report;
        var row = report[type]!;
        Assert.Equal((precision, recall, f1), (Percent(row.Precision), Percent(row.Recall), Percent(row.F1)));
        // conlleval's last column is the number of predicted ("found") chunks of the type
        Assert.Equal(found, row.Precision == 0 ? found : (int)Math.Round(row.Support * row.Recall / row.Precision));
    }

    [Fact]
    public void Count_Conll2000Example_SameAsEvaluate()
    {
        var (gold, pred) = Load();
        Assert.Equal(SeqevalMetrics.Evaluate(gold, pred).Counts, SeqevalMetrics.Count(gold, pred));
        Assert.Equal(0.8408, Math.Round(SeqevalMetrics.AccuracyScore(gold, pred), 4));
    }

    private static string Percent(double value) => (100 * value).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
}
