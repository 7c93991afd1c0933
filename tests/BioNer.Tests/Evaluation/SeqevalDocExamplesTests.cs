using BioNer.Data;
using BioNer.Evaluation;
using static BioNer.Tests.Evaluation.EvalTestData;

namespace BioNer.Tests.Evaluation;

/// <summary>The examples of seqeval's docstrings and of its tests/test_metrics.py and tests/test_v1.py, same numbers.</summary>
public class SeqevalDocExamplesTests
{
    private const string DocGold = "O O O B-MISC I-MISC I-MISC O | B-PER I-PER O";
    private const string DocPred = "O O B-MISC I-MISC I-MISC I-MISC O | B-PER I-PER O";
    private const string ScoreGold = "O O B-MISC I-MISC B-MISC O O | B-PER I-PER O";
    private const string ScorePred = "O O B-MISC I-MISC B-MISC I-MISC O | B-PER I-PER O";

    [Fact]
    public void Evaluate_DocstringExample_MatchesPrecisionRecallFscoreSupport()
    {
        var result = SeqevalMetrics.Evaluate(Seqs(DocGold), Seqs(DocPred));
        Assert.Equal((0.5, 0.5, 0.5), (result.Precision, result.Recall, result.F1));
        Assert.Equal(0.8, result.Accuracy, 10);
        Assert.Equal(new ScoreRow("MISC", 0, 0, 0, 1), result.Report.Types[0]);
        Assert.Equal(new ScoreRow("PER", 1, 1, 1, 1), result.Report.Types[1]);
        Assert.Equal(new ScoreRow("macro avg", 0.5, 0.5, 0.5, 2), result.Report.MacroAvg);
        Assert.Equal(new ScoreRow("weighted avg", 0.5, 0.5, 0.5, 2), result.Report.WeightedAvg);
    }

    [Fact]
    public void ToText_DocstringExampleDigits2_EqualsSeqevalText()
    {
        const string expected =
            "              precision    recall  f1-score   support\n\n" +
            "        MISC       0.00      0.00      0.00         1\n" +
            "         PER       1.00      1.00      1.00         1\n\n" +
            "   micro avg       0.50      0.50      0.50         2\n" +
            "   macro avg       0.50      0.50      0.50         2\n" +
            "weighted avg       0.50      0.50      0.50         2\n";
        Assert.Equal(expected, SeqevalMetrics.Evaluate(Seqs(DocGold), Seqs(DocPred)).Report.ToText(digits: 2));
    }

    [Theory] // f1_score / precision_score / recall_score docstrings: per type [0.5, 1], micro 2/3, macro 0.75
    [InlineData("micro", 0.6666666666666666)]
    [InlineData("macro", 0.75)]
    [InlineData("weighted", 0.6666666666666666)]
    public void Evaluate_ScoreDocstrings_AveragesMatch(string average, double expected)
    {
        var report = SeqevalMetrics.Evaluate(Seqs(ScoreGold), Seqs(ScorePred)).Report;
        var row = average switch { "micro" => report.MicroAvg, "macro" => report.MacroAvg, _ => report.WeightedAvg };
        Assert.Equal((expected, expected, expected), (row.Precision, row.Recall, row.F1));
        Assert.Equal([0.5, 1.0], report.Types.Select(r => r.F1));
    }

    [Theory] // test_metrics.py test_conll_f1score / test_strict_f1score
    [InlineData(EvaluationMode.Default, 1.0)]
    [InlineData(EvaluationMode.Strict, 0.0)]
    public void F1Score_IOrgAfterNothing_DefaultCountsStrictDoesNot(EvaluationMode mode, double expected)
    {
        var result = SeqevalMetrics.Evaluate(Seqs("B-ORG I-ORG"), Seqs("I-ORG I-ORG"), mode, TaggingScheme.IOB2);
        Assert.Equal(expected, result.F1);
        Assert.Equal(expected, result.Report.MacroAvg.F1);
        Assert.Equal(expected, result.Report.WeightedAvg.F1);
        Assert.Equal(expected, SeqevalMetrics.F1Score(Seqs("B-ORG I-ORG"), Seqs("I-ORG I-ORG"), mode, TaggingScheme.IOB2));
    }

    [Fact] // test_metrics.py test_get_entities and the get_entities docstring
    public void GetEntities_Examples_MatchSeqeval()
    {
        Assert.Equal([new Chunk("MISC", 3, 5), new Chunk("PER", 7, 8)],
            SeqevalMetrics.GetEntities(Seq("O O O B-MISC I-MISC I-MISC O B-PER I-PER")));
        Assert.Equal([new Chunk("PER", 0, 1), new Chunk("LOC", 3, 3)], SeqevalMetrics.GetEntities(Seq("B-PER I-PER O B-LOC")));
        // nested lists are flattened with an 'O' after each sentence: the second sentence starts at 3
        Assert.Equal([new Chunk("PER", 0, 1), new Chunk("LOC", 3, 3)], SeqevalMetrics.GetEntities(Seqs("B-PER I-PER | B-LOC")));
    }

    [Theory] // conlleval chunking rules: I- after O starts, type change splits, E-/S- close
    [InlineData("I-PER I-PER", "PER 0 1")]
    [InlineData("O I-PER O", "PER 1 1")]
    [InlineData("B-PER I-LOC", "PER 0 0;LOC 1 1")]
    [InlineData("I-PER B-PER", "PER 0 0;PER 1 1")]
    [InlineData("B-PER E-PER B-PER", "PER 0 1;PER 2 2")]
    [InlineData("S-PER I-PER", "PER 0 0;PER 1 1")]
    [InlineData("E-PER E-PER", "PER 0 0;PER 1 1")]
    [InlineData("B-PER-X I-PER-X", "PER-X 0 1")]
    public void GetEntities_ConllevalRules_Chunks(string labels, string expected)
    {
        var chunks = SeqevalMetrics.GetEntities(Seq(labels)).Select(c => $"{c.Type} {c.Start} {c.End}");
        Assert.Equal(expected, string.Join(";", chunks));
    }

    [Fact] // test_v1.py test_output_dict / test_output_string (strict IOB2)
    public void Evaluate_V1ReportExampleStrictIob2_MatchesDictAndString()
    {
        var report = SeqevalMetrics.Evaluate(Seqs("B-A B-B O B-A"), Seqs("O B-B B-C B-A"), EvaluationMode.Strict,
            TaggingScheme.IOB2).Report;
        Assert.Equal(new ScoreRow("A", 1.0, 0.5, 0.6666666666666666, 2), report["A"]);
        Assert.Equal(new ScoreRow("C", 0.0, 0.0, 0.0, 0), report["C"]);
        Assert.Equal(new ScoreRow("macro avg", 0.6666666666666666, 0.5, 0.5555555555555555, 3), report.MacroAvg);
        Assert.Equal(new ScoreRow("micro avg", 0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 3), report.MicroAvg);
        Assert.Equal(new ScoreRow("weighted avg", 1.0, 0.6666666666666666, 0.7777777777777777, 3), report.WeightedAvg);
        const string expected =
            "              precision    recall  f1-score   support\n\n" +
            "           A       1.00      0.50      0.67         2\n" +
            "           B       1.00      1.00      1.00         1\n" +
            "           C       0.00      0.00      0.00         0\n\n" +
            "   micro avg       0.67      0.67      0.67         3\n" +
            "   macro avg       0.67      0.50      0.56         3\n" +
            "weighted avg       1.00      0.67      0.78         3\n";
        Assert.Equal(expected, report.ToText(2));
        Assert.Contains(report.Warnings, w => w.StartsWith("Recall and F-score are ill-defined", StringComparison.Ordinal));
    }

    [Fact]
    public void ToJson_V1ReportExample_HasSeqevalDictShape()
    {
        var json = SeqevalMetrics.Evaluate(Seqs("B-A B-B O B-A"), Seqs("O B-B B-C B-A")).Report.ToJson(indented: false);
        Assert.StartsWith("{\"A\":{\"precision\":1,\"recall\":0.5,\"f1-score\":0.6666666666666666,\"support\":2},", json);
        Assert.EndsWith("\"weighted avg\":{\"precision\":1,\"recall\":0.6666666666666666,\"f1-score\":0.7777777777777777,\"support\":3}}", json);
    }

    [Fact] // test_v1.py test_weighted_true_sum_zero
    public void Evaluate_OnlyOutside_AveragesAreZeroAndMacroIsNaN()
    {
        var result = SeqevalMetrics.Evaluate(Seqs("O"), Seqs("O"), EvaluationMode.Strict, TaggingScheme.IOB2);
        Assert.Equal(new ScoreRow("weighted avg", 0, 0, 0, 0), result.Report.WeightedAvg);
        Assert.Equal((0.0, 0.0, 0.0, 1.0), (result.Precision, result.Recall, result.F1, result.Accuracy));
        Assert.True(double.IsNaN(result.Report.MacroAvg.F1));
        Assert.Empty(result.Report.Types);
        Assert.Contains("\"macro avg\":{\"precision\":null", result.Report.ToJson(indented: false));
    }

    [Fact]
    public void Evaluate_ZeroDivisionOne_SetsUndefinedToOne()
    {
        var report = SeqevalMetrics.Evaluate(Seqs("B-A B-B O B-A"), Seqs("O B-B B-C B-A"),
            zeroDivision: ZeroDivision.One).Report;
        Assert.Equal(new ScoreRow("C", 0.0, 1.0, 0.0, 0), report["C"]);
        Assert.Equal((2.5 / 3, 2.0 / 3), (report.MacroAvg.Recall, report.MacroAvg.Precision));
        Assert.Empty(report.Warnings);
    }

    [Theory] // strict IOBES / BILOU: ill-formed predictions are not entities
    [InlineData(TaggingScheme.IOBES, "B-PER E-PER O S-LOC", "B-PER I-PER O S-LOC", 0.5, 1.0)]
    [InlineData(TaggingScheme.IOBES, "B-PER E-PER O S-LOC", "I-PER E-PER O S-LOC", 0.5, 1.0)]
    [InlineData(TaggingScheme.BILOU, "B-PER L-PER O U-LOC", "B-PER L-PER O B-LOC", 0.5, 1.0)]
    [InlineData(TaggingScheme.BILOU, "B-PER I-PER L-PER U-LOC", "B-PER I-PER L-PER U-LOC", 1.0, 1.0)]
    public void Evaluate_StrictSchemes_InvalidEntitiesNotCounted(TaggingScheme scheme, string gold, string pred,
        double recall, double precision)
    {
        var result = SeqevalMetrics.Evaluate(Seqs(gold), Seqs(pred), EvaluationMode.Strict, scheme);
        Assert.Equal((precision, recall), (result.Precision, result.Recall));
    }

    [Fact]
    public void Evaluate_StrictWithoutScheme_DetectsFromGold()
    {
        var result = SeqevalMetrics.Evaluate(Seqs("B-PER E-PER S-LOC"), Seqs("B-PER E-PER S-LOC"), EvaluationMode.Strict);
        Assert.Equal(TaggingScheme.IOBES, result.Scheme);
        Assert.Equal(TaggingScheme.BILOU, SeqevalMetrics.DetectScheme(Seqs("U-X O | B-X L-X")));
        Assert.Throws<BioNerException>(() => SeqevalMetrics.DetectScheme(Seqs("O O")));
    }

    [Fact] // ties round half-even on the exact binary value, as Python's format
    public void ToText_OneEighth_RoundsHalfEvenLikePython()
    {
        var gold = Seqs(string.Join(' ', Enumerable.Repeat("B-PER O", 8)));
        var pred = Seqs("B-PER O " + string.Join(' ', Enumerable.Repeat("O B-PER", 7)));
        var text = SeqevalMetrics.Evaluate(gold, pred).Report.ToText(2);
        Assert.Equal("         PER       0.12      0.12      0.12         8", text.Split('\n')[2]);
    }

    [Theory]
    [InlineData(0.125, 2, "0.12")]
    [InlineData(0.375, 2, "0.38")]
    [InlineData(0.03125, 4, "0.0312")]
    [InlineData(2.0 / 3, 4, "0.6667")]
    [InlineData(1.0, 4, "1.0000")]
    [InlineData(0.0, 0, "0")]
    [InlineData(0.5, 0, "0")]
    [InlineData(1.5, 0, "2")]
    [InlineData(0.1, 20, "0.10000000000000000555")]
    public void FormatFixed_Values_MatchPythonFormat(double value, int digits, string expected) =>
        Assert.Equal(expected, ClassificationReport.FormatFixed(value, digits));
}
