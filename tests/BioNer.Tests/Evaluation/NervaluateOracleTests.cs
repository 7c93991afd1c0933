using System.Text.Json;
using BioNer.Evaluation;

namespace BioNer.Tests.Evaluation;

/// <summary>
/// 120 random cases scored by nervaluate 1.1.0's own source (fixtures/eval/nervaluate_oracle.json, made by
/// gen_nervaluate_oracle.py): COR/INC/PAR/MIS/SPU of every scheme, overall and per type, must be equal, and
/// precision/recall/F1 the same doubles.
/// </summary>
public class NervaluateOracleTests
{
    public static IEnumerable<object[]> Cases() =>
        Enumerable.Range(0, Load().GetArrayLength()).Select(i => new object[] { i });

    private static JsonElement Load() =>
        JsonDocument.Parse(File.ReadAllText(EvalTestData.Fixture("nervaluate_oracle.json"))).RootElement;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Analyze_RandomCase_EqualsNervaluate(int index)
    {
        var c = Load()[index];
        var a = ErrorAnalysis.Analyze(null, Sequences(c.GetProperty("gold")), Sequences(c.GetProperty("pred")),
            c.GetProperty("min_overlap_percentage").GetDouble());
        AssertSchemes(c.GetProperty("overall"), a.Overall, "overall");
        var types = c.GetProperty("entities").EnumerateObject().ToList();
        Assert.Equal(types.Select(t => t.Name), a.Types.Select(t => t.Type));
        foreach (var t in types) AssertSchemes(t.Value, a[t.Name]!.Schemes, t.Name);
    }

    private static void AssertSchemes(JsonElement expected, SemEvalScores actual, string where)
    {
        foreach (var s in actual.All)
        {
            var e = expected.GetProperty(s.Name).EnumerateArray().Select(v => v.GetDouble()).ToArray();
            double[] got = [s.Correct, s.Incorrect, s.Partial, s.Missed, s.Spurious, s.Precision, s.Recall, s.F1];
            Assert.True(e.SequenceEqual(got), $"{where} {s.Name}: nervaluate [{string.Join(", ", e)}], got [{string.Join(", ", got)}]");
        }
    }

    private static List<IReadOnlyList<string>> Sequences(JsonElement e) =>
        e.EnumerateArray().Select(s => (IReadOnlyList<string>)s.EnumerateArray().Select(l => l.GetString()!).ToList()).ToList();
}
