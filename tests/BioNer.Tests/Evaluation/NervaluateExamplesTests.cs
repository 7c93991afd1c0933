using BioNer.Evaluation;
using static BioNer.Tests.Evaluation.EvalTestData;

namespace BioNer.Tests.Evaluation;

/// <summary>
/// The documented examples of nervaluate 1.1.0 (github.com/MantisAI/nervaluate, tag 1.1.0: README.md and
/// tests/test_strategies.py, tests/test_evaluator.py), with their documented numbers.
/// </summary>
public class NervaluateExamplesTests
{
    // README.md "Usage example": "The John Smith who works at Google Inc" / "In Paris Marie Curie lived in 1895".
    private const string UsageTrue = "O B-PER I-PER O O O B-ORG I-ORG | O B-LOC B-PER I-PER O O B-DATE";
    private const string UsagePred = "O O B-PER I-PER O O B-ORG I-ORG | O B-LOC I-LOC B-PER O O B-DATE";

    [Fact]
    public void Analyze_ReadmeUsageExample_OverallCountsMatchSummaryReport()
    {
        var o = ErrorAnalysis.Analyze(null, Seqs(UsageTrue), Seqs(UsagePred)).Overall;
        // README summary_report(): ent_type 5 0 0 0 0 1.00; exact 2 3 0 0 0 0.40; partial 2 0 3 0 0; strict 2 3 0 0 0 0.40.
        Assert.Equal(new SchemeScores(MatchScheme.EntType, 5, 0, 0, 0, 0), o.EntType);
        Assert.Equal(new SchemeScores(MatchScheme.Exact, 2, 3, 0, 0, 0), o.Exact);
        Assert.Equal(new SchemeScores(MatchScheme.Partial, 2, 0, 3, 0, 0), o.Partial);
        Assert.Equal(new SchemeScores(MatchScheme.Strict, 2, 3, 0, 0, 0), o.Strict);
        Assert.Equal((1.0, 1.0, 1.0), (o.EntType.Precision, o.EntType.Recall, o.EntType.F1));
        Assert.Equal((0.4, 0.4), (o.Exact.Precision, o.Exact.Recall));
        Assert.Equal((0.4, 0.4), (o.Strict.Precision, o.Strict.Recall));
        Assert.Equal(0.4, o.Strict.F1, 12);
        // The README prints 0.40 for partial too: nervaluate 1.1.0's Evaluator re-computes merged multi-document
        // results without the half credit. Its documented formula, (COR + 0.5 × PAR) / ACT, gives (2 + 1.5) / 5.
        Assert.Equal(0.7, o.Partial.Precision, 12);
        Assert.Equal(0.7, o.Partial.Recall, 12);
    }

    [Fact]
    public void Analyze_ReadmeUsageExample_PerTypeStrictMatchesEntitiesReport()
    {
        var a = ErrorAnalysis.Analyze(null, Seqs(UsageTrue), Seqs(UsagePred));
        // README summary_report(mode='entities'), scenario strict.
        Assert.Equal(["DATE", "LOC", "ORG", "PER"], a.Types.Select(t => t.Type));
        Assert.Equal(new SchemeScores(MatchScheme.Strict, 1, 0, 0, 0, 0), a["DATE"]!.Schemes.Strict);
        Assert.Equal(new SchemeScores(MatchScheme.Strict, 0, 1, 0, 0, 0), a["LOC"]!.Schemes.Strict);
        Assert.Equal(new SchemeScores(MatchScheme.Strict, 1, 0, 0, 0, 0), a["ORG"]!.Schemes.Strict);
        Assert.Equal(new SchemeScores(MatchScheme.Strict, 0, 2, 0, 0, 0), a["PER"]!.Schemes.Strict);
        Assert.Equal([1.0, 0.0, 1.0, 0.0], a.Types.Select(t => t.Schemes.Strict.F1));
    }

    // README.md "Evaluation Scenarios" I-VI, with its token tables; expected outcome per scheme from the README's table
    // "These five errors and four evaluation schema interact" (columns Type, Partial, Exact, Strict).
    [Theory]
    [InlineData("I", "O B-LOC I-LOC O", "O B-LOC I-LOC O", "COR", "COR", "COR", "COR")]
    [InlineData("II", "O O O O", "O B-ORG I-ORG O", "SPU", "SPU", "SPU", "SPU")]
    [InlineData("III", "O B-LOC I-LOC O", "O O O O", "MIS", "MIS", "MIS", "MIS")]
    [InlineData("IV", "O O O B-LOC I-LOC O", "O O O B-ORG I-ORG O", "INC", "COR", "COR", "INC")]
    [InlineData("V", "O B-PER I-PER O", "B-PER I-PER I-PER O", "COR", "PAR", "INC", "INC")]
    [InlineData("VI", "O B-PER I-PER O", "B-ORG I-ORG I-ORG O", "INC", "PAR", "INC", "INC")]
    public void Analyze_ReadmeScenario_MatchesSchemaTable(string scenario, string gold, string pred, string type,
        string partial, string exact, string strict)
    {
        var o = ErrorAnalysis.Analyze(null, Seqs(gold), Seqs(pred)).Overall;
        Assert.Equal((type, partial, exact, strict), (Outcome(o.EntType), Outcome(o.Partial), Outcome(o.Exact), Outcome(o.Strict)));
        Assert.NotEmpty(scenario);
    }

    [Fact]
    public void Analyze_ReadmeScenariosTogether_MatchPuttingAllTogether()
    {
        // README "Putting all together": COR/INC/PAR/MIS/SPU per scheme and P = R = F1 of 0.5 (type), 0.66 (partial),
        // 0.5 (exact), 0.33 (strict). Those counts are the six scenarios above with scenario I twice (Type COR 3 = I, I, V).
        string gold = "O B-LOC I-LOC O | O B-LOC I-LOC O | O O O O | O B-LOC I-LOC O | O O O B-LOC I-LOC O | O B-PER I-PER O | O B-PER I-PER O";
        string pred = "O B-LOC I-LOC O | O B-LOC I-LOC O | O B-ORG I-ORG O | O O O O | O O O B-ORG I-ORG O | B-PER I-PER I-PER O | B-ORG I-ORG I-ORG O";
        var o = ErrorAnalysis.Analyze(null, Seqs(gold), Seqs(pred)).Overall;
        Assert.Equal(new SchemeScores(MatchScheme.EntType, 3, 2, 0, 1, 1), o.EntType);
        Assert.Equal(new SchemeScores(MatchScheme.Partial, 3, 0, 2, 1, 1), o.Partial);
        Assert.Equal(new SchemeScores(MatchScheme.Exact, 3, 2, 0, 1, 1), o.Exact);
        Assert.Equal(new SchemeScores(MatchScheme.Strict, 2, 3, 0, 1, 1), o.Strict);
        Assert.Equal((0.5, 0.5, 0.5), (o.EntType.Precision, o.EntType.Recall, o.EntType.F1));
        Assert.Equal(4.0 / 6, o.Partial.Precision, 12);
        Assert.Equal(4.0 / 6, o.Partial.F1, 12);
        Assert.Equal((0.5, 0.5), (o.Exact.Precision, o.Exact.Recall));
        Assert.Equal(2.0 / 6, o.Strict.Recall, 12);
    }

    // tests/test_strategies.py, base sequence "The John Smith who works at Google Inc"; expected strict counts.
    [Theory]
    [InlineData("O B-PER I-PER O O O O O", 1, 0, 1, 0)]          // test_missed_entity
    [InlineData("O B-PER I-PER O O O B-LOC I-LOC", 1, 1, 0, 0)]  // test_wrong_label
    [InlineData("O B-PER I-PER O O O B-LOC O", 1, 1, 0, 0)]      // test_wrong_boundary
    [InlineData("O B-PER I-PER O O O O B-LOC", 1, 1, 0, 0)]      // test_shifted_boundary
    [InlineData("O B-PER I-PER O B-PER O B-LOC I-LOC", 1, 1, 0, 1)] // test_extra_entity
    public void Analyze_StrategyTests_StrictCountsMatch(string pred, int correct, int incorrect, int missed, int spurious)
    {
        var strict = ErrorAnalysis.Analyze(null, Seqs("O B-PER I-PER O O O B-ORG I-ORG"), Seqs(pred)).Overall.Strict;
        Assert.Equal(new SchemeScores(MatchScheme.Strict, correct, incorrect, 0, missed, spurious), strict);
    }

    [Fact]
    public void Analyze_EvaluatorMinOverlapTest_ThirtyPercentIsPartialUnlessThresholdFifty()
    {
        // tests/test_evaluator.py test_evaluator_with_min_overlap_percentage: gold PER 0-9, pred PER 0-2 (30 %).
        string gold = "B-PER " + string.Join(' ', Enumerable.Repeat("I-PER", 9));
        string pred = "B-PER I-PER I-PER " + string.Join(' ', Enumerable.Repeat("O", 7));
        var lenient = ErrorAnalysis.Analyze(null, Seqs(gold), Seqs(pred)).Overall.Partial;
        Assert.Equal((1L, 0L), (lenient.Partial, lenient.Spurious));
        var strict50 = ErrorAnalysis.Analyze(null, Seqs(gold), Seqs(pred), minOverlapPercentage: 50).Overall.Partial;
        Assert.Equal((0L, 1L), (strict50.Partial, strict50.Spurious));
    }

    private static string Outcome(SchemeScores s) =>
        s.Correct == 1 ? "COR" : s.Incorrect == 1 ? "INC" : s.Partial == 1 ? "PAR" : s.Missed == 1 ? "MIS" : "SPU";
}
