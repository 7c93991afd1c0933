using BioNer.Data;
using BioNer.Training;
using static BioNer.Tests.CliRunner;

namespace BioNer.Tests.Evaluation;

/// <summary><c>bioner evaluate --model</c>: a saved model scored on a labelled file the way training scores its dev set.</summary>
public class EvaluateModelTests
{
    private static readonly string TinyModel = Path.Combine(AppContext.BaseDirectory, "fixtures", "roberta-tiny");

    [Fact]
    public void Evaluate_Model_PrintsLossAndTheSameScoresAsTheLibrary()
    {
        using var dir = new TempDir();
        string gold = dir.File("dev.conll");
        var corpus = new Corpus([Translation.Fakes.S("aspirin/B-Chemical binds p53/B-Protein in HeLa/B-Cell cells/I-Cell ."),
            Translation.Fakes.S("The mice/B-Taxon lack Pax6/B-Protein .")]);
        CorpusIO.Write(corpus, gold);
        var expected = ModelEvaluator.Evaluate(TinyModel, CorpusIO.Read(gold));
        var (code, stdout, stderr) = Run("evaluate", "--model", TinyModel, "--gold", gold);
        Assert.True(code == 0, stderr);
        Assert.Contains($"loss {expected.Loss.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)}", stdout);
        Assert.Contains($"f1: {expected.Metrics.F1.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)}", stdout);
        Assert.Contains("(2 sentences, 12 tokens", stdout);
    }

    [Fact]
    public void Evaluate_ModelWithoutTheCorpusTypes_NamesThem()
    {
        using var dir = new TempDir();
        string gold = dir.File("dev.conll");
        CorpusIO.Write(new Corpus([Translation.Fakes.S("aspirin/B-Drug works .")]), gold);
        var (code, _, stderr) = Run("evaluate", "--model", TinyModel, "--gold", gold);
        Assert.Equal(2, code);
        Assert.Contains("entity types the model", stderr);
        Assert.Contains("Drug", stderr);
    }
}
