using BioNer.Cli;
using static BioNer.Tests.CliRunner;

namespace BioNer.Tests.Cli;

/// <summary>The small verbs end to end through <see cref="Program.Run"/>: output and exit codes.</summary>
public class CliVerbsTests
{
    private static string Fixture(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "fixtures", .. parts]);

    [Fact]
    public void Info_TinyRoberta_PrintsArchitectureParametersLabelsAndTokenizer()
    {
        var (code, output, _) = Run("info", Fixture("roberta-tiny"));
        Assert.Equal(0, code);
        Assert.Contains("RobertaForTokenClassification", output);
        Assert.Contains("labels (13): O, B-Chemical", output);
        Assert.Contains("ByteLevelBpe", output);
        Assert.Matches(@"parameters: [\d,]+", output);
    }

    [Fact]
    public void Info_UnknownModel_ExitCode2NamingIt()
    {
        var (code, _, err) = Run("info", "/no/such/model-folder");
        Assert.Equal(2, code);
        Assert.Contains("/no/such/model-folder", err);
    }

    [Fact]
    public void Evaluate_GoldPredColumns_PrintsSeqevalReportAndTotals()
    {
        using var tmp = new TempDir();
        string file = tmp.Write("gp.conll", "EU B-ORG B-ORG\nrejects O O\nGerman B-MISC B-PER\ncall O O\n\nPeter B-PER B-PER\nBlackburn I-PER I-PER\n");
        var (code, output, _) = Run("evaluate", "--gold", file);
        Assert.Equal(0, code);
        // gold: ORG, MISC, PER ; pred: ORG, PER, PER -> TP 2 of 3 predicted, 3 gold.
        Assert.Contains("precision: 0.6667  recall: 0.6667  f1: 0.6667", output);
        Assert.Contains("accuracy: 0.8333", output);
    }

    [Fact]
    public void Evaluate_TokenCountMismatch_ExitCode2NamingFileAndSentence()
    {
        using var tmp = new TempDir();
        string gold = tmp.Write("gold.conll", "a O\nb B-X\n\nc O\n");
        string pred = tmp.Write("pred.conll", "a O\nb B-X\n\nc O\nd O\n");
        var (code, _, err) = Run("evaluate", "--gold", gold, "--pred", pred);
        Assert.Equal(2, code);
        Assert.Contains("pred.conll", err);
        Assert.Contains("sentence 2 has 2 tokens, but gold has 1", err);
    }

    [Fact]
    public void DataStats_SampleDev_CountsSentencesAndEntityTypes()
    {
        string dev = Path.Combine(AppContext.BaseDirectory, "samples", "craft-sample", "dev.conll");
        var (code, output, _) = Run("data", "stats", dev);
        Assert.Equal(0, code);
        Assert.Contains("120 sentences", output);
        foreach (var type in new[] { "Cell", "Chemical", "Gene", "Protein", "Sequence", "Taxon" })
            Assert.Contains($"| {type} |", output);
    }

    [Fact]
    public void DataConvert_CraftIobMap_RenamesTypes()
    {
        using var tmp = new TempDir();
        string input = tmp.Write("in.tsv", "Brca1\tB-GGP\nin\tO\nmice\tB-Taxon\n\nglucose\tB-CHEBI\n");
        string output = tmp.File("out.conll");
        var (code, _, _) = Run("data", "convert", "--in", input, "--out", output, "--label-map", "craft-iob");
        Assert.Equal(0, code);
        string text = File.ReadAllText(output);
        Assert.Contains("Brca1\tB-Protein", text);
        Assert.Contains("glucose\tB-Chemical", text);
        Assert.Contains("mice\tB-Taxon", text);
    }
}
