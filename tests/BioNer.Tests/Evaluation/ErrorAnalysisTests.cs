using System.Text.Json;
using BioNer.Data;
using BioNer.Evaluation;
using static BioNer.Tests.Evaluation.EvalTestData;

namespace BioNer.Tests.Evaluation;

/// <summary>The six categories, the four schemes, per-type rows, the confusion matrix and JSON on hand-built cases.</summary>
public class ErrorAnalysisTests
{
    // s0: Chemical exact match; Gene cut short (wrong boundary).
    // s1: Chemical labelled Gene (wrong type); Gene missed; a spurious Chemical.
    // s2: Cell predicted as an overlapping Gene (both wrong).
    internal const string Gold = "B-Chemical O B-Gene I-Gene O | B-Chemical I-Chemical O B-Gene O | O B-Cell I-Cell O";
    internal const string Pred = "B-Chemical O B-Gene O O | B-Gene I-Gene O O B-Chemical | B-Gene I-Gene O O";
    internal const string Words = "aspirin blocks COX 1 . | acetylsalicylic acid and TP53 aspirin | human T cells grow";

    internal static ErrorAnalysisResult Hand() => ErrorAnalysis.Analyze(Seqs(Words), Seqs(Gold), Seqs(Pred));

    [Fact]
    public void Analyze_HandBuilt_CountsEachCategoryOnce()
    {
        var a = Hand();
        Assert.Equal(new CategoryCounts(1, 1, 1, 1, 1, 1), a.Categories);
        Assert.Equal((5L, 5L), (a.Categories.Gold, a.Categories.Predicted));
        Assert.Equal(3, a.Sentences);
    }

    [Fact]
    public void Analyze_HandBuilt_SchemesFollowNervaluate()
    {
        var o = Hand().Overall;
        Assert.Equal(new SchemeScores(MatchScheme.Strict, 1, 3, 0, 1, 1), o.Strict);
        Assert.Equal(new SchemeScores(MatchScheme.Exact, 2, 2, 0, 1, 1), o.Exact);
        Assert.Equal(new SchemeScores(MatchScheme.Partial, 2, 0, 2, 1, 1), o.Partial);
        Assert.Equal(new SchemeScores(MatchScheme.EntType, 2, 2, 0, 1, 1), o.EntType);
        Assert.Equal((5L, 5L), (o.Strict.Possible, o.Strict.Actual));
        Assert.Equal(0.2, o.Strict.Precision, 12);
        Assert.Equal(0.2, o.Strict.F1, 12);
        Assert.Equal(0.4, o.Exact.F1, 12);
        Assert.Equal(0.6, o.Partial.Precision, 12);          // (COR + 0.5 PAR) / ACT = (2 + 1) / 5
        Assert.Equal(0.6, Hand().PartialF1, 12);
        Assert.Equal(0.4, o.EntType.Recall, 12);
    }

    [Fact]
    public void Analyze_HandBuilt_StrictCorrectEqualsSeqevalTruePositives()
    {
        var seqeval = SeqevalMetrics.Evaluate(Seqs(Gold), Seqs(Pred));
        var strict = Hand().Overall.Strict;
        Assert.Equal((seqeval.Counts.TruePositives, seqeval.Counts.Gold, seqeval.Counts.Predicted),
            (strict.Correct, strict.Possible, strict.Actual));
    }

    [Fact]
    public void Analyze_HandBuilt_TypeCategoriesUnderGoldType()
    {
        var a = Hand();
        Assert.Equal(["Cell", "Chemical", "Gene"], a.Types.Select(t => t.Type));
        Assert.Equal(new CategoryCounts(1, 1, 0, 0, 0, 1), a["Chemical"]!.Categories);   // spurious: predicted type
        Assert.Equal(new CategoryCounts(0, 0, 1, 0, 1, 0), a["Gene"]!.Categories);
        Assert.Equal(new CategoryCounts(0, 0, 0, 1, 0, 0), a["Cell"]!.Categories);
    }

    [Fact]
    public void Analyze_HandBuilt_TypeSchemesRepairOneTypeAlone()
    {
        var a = Hand();
        // Chemical alone: s0 exact; s1 the gold span and the spurious one do not overlap → one miss, one spurious.
        Assert.Equal(new SchemeScores(MatchScheme.Strict, 1, 0, 0, 1, 1), a["Chemical"]!.Schemes.Strict);
        // Gene alone: s0 partial; s1 gold TP53 missed, the Gene on "acetylsalicylic acid" spurious; s2 spurious.
        var gene = a["Gene"]!.Schemes;
        Assert.Equal(new SchemeScores(MatchScheme.Strict, 0, 1, 0, 1, 2), gene.Strict);
        Assert.Equal(new SchemeScores(MatchScheme.Partial, 0, 0, 1, 1, 2), gene.Partial);
        Assert.Equal(0.5 / 3, gene.Partial.Precision, 12);
        Assert.Equal(0.25, gene.Partial.Recall, 12);
        Assert.Equal(new SchemeScores(MatchScheme.Strict, 0, 0, 0, 1, 0), a["Cell"]!.Schemes.Strict);
    }

    [Fact]
    public void Analyze_HandBuilt_ConfusionRowsGoldColumnsPredicted()
    {
        var m = Hand().Confusion;
        Assert.Equal(["Cell", "Chemical", "Gene", "none"], m.Labels);
        long[][] expected = [[0, 0, 1, 0], [0, 1, 1, 0], [0, 0, 1, 1], [0, 1, 0, 0]];
        Assert.Equal(expected, m.Counts.Select(r => r.ToArray()).ToArray());
        Assert.Equal(1, m["Gene", ConfusionMatrix.None]);    // missed
        Assert.Equal(1, m[ConfusionMatrix.None, "Chemical"]); // spurious
        Assert.Equal(0, m["Unknown", "Gene"]);
    }

    [Fact]
    public void Analyze_HandBuilt_CasesInSentenceOrderWithTexts()
    {
        var cases = Hand().Cases;
        Assert.Equal([ErrorCategory.ExactMatch, ErrorCategory.WrongBoundary, ErrorCategory.WrongType,
            ErrorCategory.Missed, ErrorCategory.Spurious, ErrorCategory.BothWrong], cases.Select(c => c.Category));
        Assert.Equal([0, 0, 1, 1, 1, 2], cases.Select(c => c.Sentence));
        var wrongBoundary = cases[1];
        Assert.Equal(new Chunk("Gene", 2, 3), wrongBoundary.Gold);
        Assert.Equal(new Chunk("Gene", 2, 2), wrongBoundary.Predicted);
        Assert.Equal(("COX 1", "COX"), (wrongBoundary.GoldText, wrongBoundary.PredictedText));
        Assert.Null(cases[3].Predicted);
        Assert.Null(cases[4].Gold);
        Assert.Equal("aspirin", cases[4].PredictedText);
    }

    [Fact]
    public void Analyze_DocsExample_MatchesDocumentedNumbers()
    {
        // docs/evaluation.md: [COX 1]Gene predicted as [COX]Gene plus one exact match.
        var o = ErrorAnalysis.Analyze(Seqs("aspirin blocks COX 1"), Seqs("B-Chemical O B-Gene I-Gene"),
            Seqs("B-Chemical O B-Gene O")).Overall;
        Assert.Equal((0.5, 0.5), (o.Strict.Precision, o.Strict.Recall));
        Assert.Equal((0.75, 0.75), (o.Partial.Precision, o.Partial.Recall));
    }

    [Fact]
    public void Analyze_PredictionOverlapsTwoGold_PairsWithFirstOnlyOtherMissed()
    {
        var a = ErrorAnalysis.Analyze(null, Seqs("B-X I-X B-X I-X O"), Seqs("B-X I-X I-X I-X O"));
        Assert.Equal(new CategoryCounts(0, 0, 1, 0, 1, 0), a.Categories);
        Assert.Equal(new SchemeScores(MatchScheme.Strict, 0, 1, 0, 1, 0), a.Overall.Strict);  // nervaluate 0.x: INC 2
        Assert.Equal(new Chunk("X", 0, 1), a.Cases[0].Gold);
        Assert.Null(a.Cases[0].GoldText);
    }

    [Fact]
    public void Analyze_TwoPredictionsOverlapOneGold_SecondIsSpurious()
    {
        var a = ErrorAnalysis.Analyze(null, Seqs("B-X I-X I-X I-X"), Seqs("B-X I-X B-X I-X"));
        Assert.Equal(new CategoryCounts(0, 0, 1, 0, 0, 1), a.Categories);
        Assert.Equal(new SchemeScores(MatchScheme.Partial, 0, 0, 1, 0, 1), a.Overall.Partial);
    }

    [Fact]
    public void Analyze_OneWordOfLongGold_BelowOnePercentNotPaired()
    {
        // 1 word of a 200-word gold entity overlaps 0.5 % < nervaluate's default min_overlap_percentage of 1.
        string gold = "B-X " + string.Join(' ', Enumerable.Repeat("I-X", 199));
        string pred = "B-X " + string.Join(' ', Enumerable.Repeat("O", 199));
        var a = ErrorAnalysis.Analyze(null, Seqs(gold), Seqs(pred));
        Assert.Equal(new CategoryCounts(0, 0, 0, 0, 1, 1), a.Categories);
    }

    [Fact]
    public void Analyze_IobesAndStrayInside_ChunkedAsSeqevalDefault()
    {
        // seqeval default chunking: I- after O starts an entity; S-/E- are read too.
        var a = ErrorAnalysis.Analyze(null, Seqs("S-X O B-Y E-Y | I-X I-X"), Seqs("B-X O B-Y I-Y | B-X I-X"));
        Assert.Equal(new CategoryCounts(3, 0, 0, 0, 0, 0), a.Categories);
    }

    [Fact]
    public void Analyze_NoEntities_AllZeroAndNoneOnlyMatrix()
    {
        var a = ErrorAnalysis.Analyze(null, Seqs("O O | "), Seqs("O O | "));
        Assert.Equal(new CategoryCounts(0, 0, 0, 0, 0, 0), a.Categories);
        Assert.Equal(0.0, a.PartialF1);
        Assert.Empty(a.Types);
        Assert.Equal(["none"], a.Confusion.Labels);
    }

    [Fact]
    public void Analyze_Corpora_SameAsLists()
    {
        var words = Seqs(Words);
        var gold = new Corpus(Seqs(Gold).Select((l, i) => new Sentence(words[i], l)).ToList());
        var pred = new Corpus(Seqs(Pred).Select((l, i) => new Sentence(words[i], l)).ToList());
        var a = ErrorAnalysis.Analyze(gold, pred);
        Assert.Equal(Hand().ToJson(examplesPerCategory: 5), a.ToJson(examplesPerCategory: 5));
    }

    [Theory]
    [InlineData("a b | c", "O O | O", "O O | O O", "sentence 1")]
    [InlineData("a b", "O O | O", "O O | O", "words has 1 sentences")]
    [InlineData("a | c", "O O | O", "O O | O", "sentence 0 (0-based): 1 words")]
    [InlineData("a b", "O B-", "O O", "label 'B-'")]
    public void Analyze_Mismatch_ThrowsNamingIt(string words, string gold, string pred, string expected)
    {
        var e = Assert.Throws<BioNerException>(() => ErrorAnalysis.Analyze(Seqs(words), Seqs(gold), Seqs(pred)));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void Analyze_MinOverlapOutOfRange_Throws(double minOverlap)
    {
        Assert.Throws<BioNerException>(() => ErrorAnalysis.Analyze(null, Seqs("B-X"), Seqs("B-X"), minOverlap));
    }

    [Fact]
    public void ToJson_HandBuilt_HasSnakeCaseShape()
    {
        using var doc = JsonDocument.Parse(Hand().ToJson(examplesPerCategory: 1));
        var root = doc.RootElement;
        Assert.Equal(["sentences", "gold_entities", "predicted_entities", "min_overlap_percentage", "partial_f1",
            "categories", "overall", "types", "confusion", "examples"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["exact_match", "wrong_type", "wrong_boundary", "both_wrong", "missed", "spurious"],
            root.GetProperty("categories").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["strict", "ent_type", "partial", "exact"], root.GetProperty("overall").EnumerateObject().Select(p => p.Name));
        var partial = root.GetProperty("overall").GetProperty("partial");
        Assert.Equal(["correct", "incorrect", "partial", "missed", "spurious", "possible", "actual", "precision", "recall", "f1"],
            partial.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, partial.GetProperty("partial").GetInt32());
        Assert.Equal(0.6, partial.GetProperty("precision").GetDouble(), 12);
        Assert.Equal(1, root.GetProperty("types").GetProperty("Gene").GetProperty("categories").GetProperty("missed").GetInt32());
        Assert.Equal(4, root.GetProperty("confusion").GetProperty("counts").GetArrayLength());
        Assert.Equal("none", root.GetProperty("confusion").GetProperty("labels")[3].GetString());
        var wrongType = root.GetProperty("examples").GetProperty("wrong_type")[0];
        Assert.Equal("acetylsalicylic acid", wrongType.GetProperty("gold").GetProperty("text").GetString());
        Assert.Equal("Gene", wrongType.GetProperty("predicted").GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("examples").GetProperty("missed")[0].GetProperty("predicted").ValueKind);
        Assert.False(root.GetProperty("examples").TryGetProperty("exact_match", out _));
    }

    [Fact]
    public void ToJson_DefaultExamples_NoExamplesKey()
    {
        using var doc = JsonDocument.Parse(Hand().ToJson(indented: false));
        Assert.False(doc.RootElement.TryGetProperty("examples", out _));
    }
}
