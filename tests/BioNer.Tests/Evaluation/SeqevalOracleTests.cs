using BioNer.Data;
using System.Text.Json;
using BioNer.Evaluation;

namespace BioNer.Tests.Evaluation;

/// <summary>
/// 80 random cases scored by seqeval's own source (fixtures/eval/seqeval_oracle.json): the text report must be the
/// same string and every number of the dict report the same double.
/// </summary>
public class SeqevalOracleTests
{
    public static IEnumerable<object[]> Cases() =>
        Enumerable.Range(0, Load().GetArrayLength()).Select(i => new object[] { i });

    private static JsonElement Load() =>
        JsonDocument.Parse(File.ReadAllText(EvalTestData.Fixture("seqeval_oracle.json"))).RootElement;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_RandomCase_EqualsSeqeval(int index)
    {
        var c = Load()[index];
        var gold = Sequences(c.GetProperty("gold"));
        var pred = Sequences(c.GetProperty("pred"));
        var schemeName = c.GetProperty("scheme").GetString();
        var result = schemeName is null
            ? SeqevalMetrics.Evaluate(gold, pred)
            : SeqevalMetrics.Evaluate(gold, pred, EvaluationMode.Strict, Enum.Parse<TaggingScheme>(schemeName));

        Assert.Equal(c.GetProperty("text").GetString(), result.Report.ToText(4));
        Assert.Equal(c.GetProperty("accuracy").GetDouble(), result.Accuracy);
        var expected = c.GetProperty("report");
        var rows = result.Report.Types.Append(result.Report.MicroAvg).Append(result.Report.MacroAvg)
            .Append(result.Report.WeightedAvg).ToList();
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name), rows.Select(r => r.Name));
        foreach (var row in rows)
        {
            var e = expected.GetProperty(row.Name);
            Assert.Equal(
                (e.GetProperty("precision").GetDouble(), e.GetProperty("recall").GetDouble(),
                    e.GetProperty("f1-score").GetDouble(), e.GetProperty("support").GetInt64()),
                (row.Precision, row.Recall, row.F1, row.Support));
        }
    }

    private static IReadOnlyList<IReadOnlyList<string>> Sequences(JsonElement e) =>
        e.EnumerateArray().Select(s => (IReadOnlyList<string>)s.EnumerateArray().Select(l => l.GetString()!).ToList())
            .ToList();
}
