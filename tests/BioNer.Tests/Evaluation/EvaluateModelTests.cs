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
        using var pipeline = BioNer.Inference.NerPipeline.Load(TinyModel, new BioNer.Inference.NerOptions { BatchSize = 8 });
        var expected = BioNer.Evaluation.ModelEvaluator.Evaluate(pipeline, CorpusIO.Read(gold));
        var (code, stdout, stderr) = Run("evaluate", "--model", TinyModel, "--gold", gold);
        Assert.True(code == 0, stderr);
        Assert.Contains($"loss {expected.Loss!.Value.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)}", stderr);
        Assert.Contains($"f1: {expected.Metrics.F1.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)}", stdout);
        Assert.Contains("(2 sentences, 12 tokens", stdout);
    }

    [Fact]
    public void Evaluate_ModelWithoutTheCorpusTypes_ScoresThemAsMissedAndSaysSo()
    {
        using var dir = new TempDir();
        string gold = dir.File("dev.conll");
        CorpusIO.Write(new Corpus([Translation.Fakes.S("aspirin/B-Drug works ."), Translation.Fakes.S("ibuprofen/B-Drug and p53/B-Protein .")]), gold);
        var (code, stdout, stderr) = Run("evaluate", "--model", TinyModel, "--data", gold, "--json");
        Assert.True(code == 0, stderr);
        Assert.Contains("gold types the model does not know (counted as missed; left out of the loss): Drug (2 mentions)", stderr);
        Assert.Contains("model types the gold file never uses (their predictions count as spurious): ", stderr);
        var json = System.Text.Json.Nodes.JsonNode.Parse(stdout)!;
        Assert.Equal(2, json["gold_types_unknown_to_model"]!["Drug"]!.GetValue<int>());
        Assert.Contains("Cell", json["model_types_absent_from_gold"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(0.0, json["report"]!["Drug"]!["recall"]!.GetValue<double>());
        Assert.Equal(2, json["report"]!["Drug"]!["support"]!.GetValue<int>());
    }

    [Fact]
    public void Evaluate_PredFileWithReport_WritesPageAndPrintsCategories()
    {
        using var dir = new TempDir();
        string gold = dir.File("gold.conll"), pred = dir.File("pred.conll"), report = dir.File("report");
        CorpusIO.Write(new Corpus([Translation.Fakes.S("aspirin/B-Chemical binds p53/B-Protein in HeLa/B-Cell cells/I-Cell .")]), gold);
        CorpusIO.Write(new Corpus([Translation.Fakes.S("aspirin/B-Protein binds p53/B-Protein in HeLa/B-Cell cells .")]), pred);

        var (code, stdout, stderr) = Run("evaluate", "--gold", gold, "--pred", pred, "--report", report);

        Assert.True(code == 0, stderr);
        Assert.Contains("errors: exact 1, wrong type 1, wrong boundary 1, both wrong 0, missed 0, spurious 0", stdout);
        Assert.Contains("index.html", stderr);
        string html = File.ReadAllText(Path.Combine(report, "index.html"));
        Assert.Contains("aspirin", html);
        Assert.True(new FileInfo(Path.Combine(report, "confusion.png")).Length > 1000);
        var (jcode, json, jerr) = Run("evaluate", "--gold", gold, "--pred", pred, "--json");
        Assert.True(jcode == 0, jerr);
        Assert.NotNull(System.Text.Json.Nodes.JsonNode.Parse(json)!["errors"]);
    }

    [Fact]
    public void Evaluate_ModelOnTorchAndOnnx_SameWordLabelsAndScores()
    {
        // The fixture's random head predicts every type, so equal labels here are not an all-O coincidence.
        using var dir = new TempDir();
        string gold = dir.File("dev.conll");
        CorpusIO.Write(new Corpus([Translation.Fakes.S("aspirin/B-Chemical binds p53/B-Protein in HeLa/B-Cell cells/I-Cell ."),
            Translation.Fakes.S("The mice/B-Taxon lack Pax6/B-Protein , a transcription factor of the eye .")]), gold);
        var outputs = new List<string[]>();
        var f1 = new List<string>();
        foreach (var runtime in new[] { "torch", "onnx" })
        {
            string outFile = dir.File(runtime + ".conll");
            var (code, stdout, stderr) = Run("evaluate", "--model", TinyModel, "--data", gold, "--runtime", runtime, "--out", outFile);
            Assert.True(code == 0, stderr);
            outputs.Add(File.ReadAllLines(outFile));
            f1.Add(stdout.Split('\n').Single(l => l.StartsWith("accuracy:", StringComparison.Ordinal)));
        }
        Assert.Equal(outputs[0], outputs[1]);
        Assert.Equal(f1[0], f1[1]);
        // The --out file is a 'token gold pred' file: `evaluate --gold` alone reads it back to the same scores.
        var (code2, again, err2) = Run("evaluate", "--gold", dir.File("torch.conll"));
        Assert.True(code2 == 0, err2);
        Assert.Equal(f1[0], again.Split('\n').Single(l => l.StartsWith("accuracy:", StringComparison.Ordinal)));
        Assert.True(outputs[0].Count(l => l.Split('\t') is [_, _, var p] && p != "O") >= 5, string.Join("\n", outputs[0]));
    }
}

/// <summary>
/// <c>evaluate --model --decode constrained</c> plumbing: the choice in the JSON, IOB2-valid output, bad values refused.
/// (The fixture predicts no orphan I- by argmax; orphan removal itself is tested in <c>ConstrainedDecodingTests</c>.)
/// </summary>
public class EvaluateDecodeTests
{
    private static readonly string TinyModel = Path.Combine(AppContext.BaseDirectory, "fixtures", "roberta-tiny");

    [Fact]
    public void Evaluate_DecodeConstrained_ReportsItAndWritesValidIob2()
    {
        using var dir = new TempDir();
        string gold = dir.File("dev.conll"), outFile = dir.File("pred.conll");
        var source = CorpusIO.Read(Path.Combine(TestPaths.RepoRoot, "samples", "craft-sample", "dev.conll"));
        CorpusIO.Write(new Corpus(source.Sentences.Take(20).ToList()), gold);
        var (code, stdout, stderr) = Run("evaluate", "--model", TinyModel, "--data", gold, "--decode", "constrained", "--out", outFile, "--json");
        Assert.True(code == 0, stderr);
        Assert.Equal("constrained", System.Text.Json.Nodes.JsonNode.Parse(stdout)!["decode"]!.GetValue<string>());
        string? previous = null;
        int words = 0;
        foreach (var line in File.ReadAllLines(outFile))
        {
            var f = line.Split('\t', ' ');
            if (f.Length < 3 || f[0] == "-DOCSTART-") { previous = null; continue; }
            words++;
            Assert.True(Iob2.Allows(previous, f[2]), $"{previous} → {f[2]}");
            previous = f[2];
        }
        Assert.True(words > 100, $"{words} predicted words");
    }

    [Fact]
    public void Evaluate_DecodeUnknown_RefusedNamingTheChoices()
    {
        using var dir = new TempDir();
        string gold = dir.File("dev.conll");
        CorpusIO.Write(new Corpus([Translation.Fakes.S("aspirin/B-Chemical works .")]), gold);
        var (code, _, stderr) = Run("evaluate", "--model", TinyModel, "--data", gold, "--decode", "beam");
        Assert.Equal(2, code);
        Assert.Contains("--decode: unknown decoding 'beam' (argmax, constrained)", stderr);
    }
}

/// <summary><c>predict --decode</c>: refused with a token-level aggregation, and an unknown value named.</summary>
public class PredictDecodeTests
{
    private static readonly string TinyModel = Path.Combine(AppContext.BaseDirectory, "fixtures", "roberta-tiny");

    [Theory]
    [InlineData("constrained", "simple", "--decode constrained labels words: it needs a word-level aggregation (first, max, average), not simple")]
    [InlineData("greedy", "first", "--decode: unknown decoding 'greedy' (argmax, constrained)")]
    public void Predict_BadDecode_Exit2WithTheReason(string decode, string aggregation, string message)
    {
        var (code, _, stderr) = Run("predict", "--model", TinyModel, "--decode", decode, "--aggregation", aggregation, "aspirin binds p53");
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void Predict_DecodeConstrained_AnnotatesText()
    {
        var (code, stdout, stderr) = Run("predict", "--model", TinyModel, "--decode", "constrained", "aspirin binds p53 in HeLa cells");
        Assert.True(code == 0, stderr);
        Assert.StartsWith("[", stdout.TrimStart());
    }
}
