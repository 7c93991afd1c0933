using BioNer.Data;
using BioNer.Evaluation;
using static BioNer.Tests.Evaluation.EvalTestData;

namespace BioNer.Tests.Evaluation;

/// <summary>Bad input is a <see cref="BioNerException"/> that says where: sentence index, token index, side.</summary>
public class EvaluationInputErrorTests
{
    [Fact]
    public void Evaluate_DifferentSentenceCounts_Throws()
    {
        var error = Assert.Throws<BioNerException>(() => SeqevalMetrics.Evaluate(Seqs("O | O"), Seqs("O")));
        Assert.Equal("gold has 2 sentences but pred has 1.", error.Message);
    }

    [Fact]
    public void Evaluate_DifferentTokenCounts_NamesSentence()
    {
        var error = Assert.Throws<BioNerException>(() => SeqevalMetrics.Evaluate(Seqs("O | B-PER O"), Seqs("O | B-PER")));
        Assert.Equal("sentence 1 (0-based): gold has 2 tokens but pred has 1.", error.Message);
    }

    [Theory]
    [InlineData("PER")]
    [InlineData("B")]
    [InlineData("B-")]
    [InlineData("X-PER")]
    [InlineData("O-PER")]
    [InlineData("B--PER")]
    [InlineData("b-PER")]
    [InlineData("")]
    public void Evaluate_MalformedLabel_NamesSentenceAndToken(string label)
    {
        var gold = new List<IReadOnlyList<string>> { new[] { "O" }, new[] { "O", "B-PER" } };
        var pred = new List<IReadOnlyList<string>> { new[] { "O" }, new[] { "O", label } };
        var error = Assert.Throws<BioNerException>(() => SeqevalMetrics.Evaluate(gold, pred));
        Assert.StartsWith($"pred sentence 1, token 1 (0-based): label '{label}' is not 'O' or PREFIX-TYPE", error.Message);
    }

    [Fact]
    public void Evaluate_StrictPrefixOutsideScheme_NamesSentenceAndToken()
    {
        var error = Assert.Throws<BioNerException>(() => SeqevalMetrics.Evaluate(Seqs("B-PER | O S-PER"),
            Seqs("B-PER | O B-PER"), EvaluationMode.Strict, TaggingScheme.IOB2));
        Assert.StartsWith("gold sentence 1, token 1 (0-based): label 'S-PER' is not allowed in strict IOB2", error.Message);
    }

    [Fact]
    public void Evaluate_NoSentences_ZeroScores()
    {
        var result = SeqevalMetrics.Evaluate([], []);
        Assert.Equal((0.0, 0.0, 0.0, 0.0), (result.Precision, result.Recall, result.F1, result.Accuracy));
        Assert.StartsWith("              precision", result.Report.ToText());
    }
}
