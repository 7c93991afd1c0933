using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BioNer.Checkpoints;
using BioNer.Data;
using BioNer.Evaluation;
using BioNer.Inference;
using BioNer.Tests.Data;
using BioNer.Tokenization;
using BioNer.Training;

namespace BioNer.Tests.Training;

/// <summary>One <c>bioner train</c> run through <c>Program.Run</c>, shared by the output-folder tests.</summary>
public sealed class CliRun : IDisposable
{
    public TempDir Tmp { get; } = new();
    public string Train { get; }
    public string Dev { get; }
    public string OutDir => Tmp.File("out");
    public int Code { get; }
    public string Stdout { get; }
    public string Stderr { get; }

    public CliRun()
    {
        (Train, Dev) = TrainTestData.WriteSubset(Tmp.File("data"));
        // Settings from --config, some overridden by flags (epochs 5 → 2).
        string config = Tmp.Write("run.json", "{ \"logging_steps\": 2, \"epochs\": 5, \"learning_rate\": 5e-4, \"train_batch_size\": 4 }");
        (Code, Stdout, Stderr) = TrainTestData.Cli("train", "--config", config, "--model", TrainTestData.TinyModel, "--train", Train,
            "--dev", Dev, "--out", OutDir, "--threads", "1", "--seed", "3", "--epochs", "2", "--max-length", "32");
    }

    public JsonObject Json(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(OutDir, name)))!.AsObject();

    public void Dispose() => Tmp.Dispose();
}

/// <summary>The output folder is a complete HF model folder with card, curves and logs; the loop's step arithmetic.</summary>
[Collection(TrainingCollection.Name)]
public class TrainOutputsTests(CliRun run) : IClassFixture<CliRun>
{
    [Fact]
    public void TrainCli_CapturedOutput_PrintsPlainEpochTableAndPerTypeReport()
    {
        Assert.True(run.Code == 0, run.Stderr);
        var lines = run.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains(TrainingHistory.Header, lines);
        var rows = lines.Where(l => Regex.IsMatch(l, @"^\| [12] \| \d+ \| \d")).Distinct().ToList();
        Assert.Equal(2, rows.Count);                                  // one row per epoch (live and in the summary)
        // The summary names the kept weights: the best dev evaluation (first on ties), by epoch and step.
        var evals = run.Json("trainer_state.json")["log_history"]!.AsArray().Select(n => n!.AsObject()).Where(e => e.ContainsKey("eval_f1")).ToList();
        var best = evals.Aggregate((a, b) => b["eval_f1"]!.GetValue<double>() > a["eval_f1"]!.GetValue<double>() ? b : a);
        Assert.Contains($"Per-type scores on dev of the saved model (best checkpoint by dev F1, epoch {best["epoch"]} (step {best["step"]})):", lines);
        Assert.Contains(lines, l => l.TrimStart().StartsWith("micro avg", StringComparison.Ordinal));
        foreach (var type in CorpusIO.Read(run.Dev).EntityTypes())
            Assert.Contains(lines, l => Regex.IsMatch(l, $@"^\s+{type}\s+\d\.\d{{4}}\s+\d\.\d{{4}}\s+\d\.\d{{4}}\s+[1-9]\d*$"));
        Assert.DoesNotContain("\u001b[", run.Stdout);                 // plain: no ANSI, no carriage-return progress
        Assert.DoesNotContain("\r", run.Stdout);
    }

    [Fact]
    public void TrainCli_OutputFolder_HasHfModelCardStateMetricsAndCurves()
    {
        var config = run.Json("config.json");
        var id2label = config["id2label"]!.AsObject();
        Assert.Equal(id2label.Count, config["label2id"]!.AsObject().Count);
        Assert.Equal("O", id2label["0"]!.GetValue<string>());
        Assert.True(new FileInfo(Path.Combine(run.OutDir, "model.safetensors")).Length > 100_000);
        Assert.True(File.Exists(Path.Combine(run.OutDir, "tokenizer.json")) || File.Exists(Path.Combine(run.OutDir, "vocab.json")));

        var log = run.Json("trainer_state.json")["log_history"]!.AsArray().Select(n => n!.AsObject()).ToList();
        var losses = log.Where(e => e.ContainsKey("loss")).ToList();
        Assert.NotEmpty(losses);
        Assert.All(losses, e => Assert.Equal(0, e["step"]!.GetValue<int>() % 2));   // logging_steps from the config
        var evals = log.Where(e => e.ContainsKey("eval_f1")).ToList();
        Assert.Equal(2, evals.Count);
        Assert.All(evals, e => Assert.True(e.ContainsKey("eval_loss") && e.ContainsKey("eval_precision") && e.ContainsKey("eval_accuracy")));

        var metrics = run.Json("metrics.json");
        Assert.InRange(metrics["eval_f1"]!.GetValue<double>(), 0, 1);
        Assert.True(metrics["eval_loss"]!.GetValue<double>() > 0);
        // The scores are of the best dev evaluation's weights, and metrics.json says which evaluation that was.
        var bestEval = evals.Aggregate((a, b) => b["eval_f1"]!.GetValue<double>() > a["eval_f1"]!.GetValue<double>() ? b : a);
        Assert.Equal("best", metrics["kept_weights"]!.GetValue<string>());
        Assert.Equal(bestEval["step"]!.GetValue<int>(), metrics["kept_step"]!.GetValue<int>());
        Assert.Equal(bestEval["epoch"]!.GetValue<double>(), metrics["kept_epoch"]!.GetValue<double>());

        var card = File.ReadAllLines(Path.Combine(run.OutDir, "README.md"));
        Assert.Contains("| Epoch | Step | Training Loss | Validation Loss | Precision | Recall | F1 | Accuracy |", card);
        Assert.Contains(card, l => Regex.IsMatch(l, @"the weights are the best checkpoint by dev F1, epoch [12] \(step \d+\):$"));
        var rows = TrainTestData.CardRows(run.OutDir);
        Assert.Equal(2, rows.Length);
        Assert.StartsWith("| 1 | ", rows[0]);
        Assert.StartsWith("| 2 | ", rows[1]);

        byte[] png = File.ReadAllBytes(Path.Combine(run.OutDir, "learning_curves.png"));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png.Take(8));
        Assert.True(png.Length > 10_000, $"learning_curves.png is only {png.Length} bytes");
    }

    [Fact]
    public void TrainCli_SavedModelAndTokenizer_ReloadToTheReportedScores()
    {
        var tokenizer = HfTokenizer.Load(run.OutDir);
        var dev = CorpusIO.Read(run.Dev);
        using var model = NerPipeline.Load(run.OutDir, new NerOptions { BatchSize = 8, MaxSubTokens = 32 - 2 }); // the run's --max-length

        var outcome = ModelEvaluator.Evaluate(model, dev);

        var original = HfTokenizer.Load(TrainTestData.TinyModel);
        Assert.Equal(dev.Sentences.Select(s => original.EncodeWords(s.Words).SelectMany(p => p)),
            dev.Sentences.Select(s => tokenizer.EncodeWords(s.Words).SelectMany(p => p)));
        var metrics = run.Json("metrics.json");
        Assert.Equal(metrics["eval_loss"]!.GetValue<double>(), outcome.Loss!.Value, 9);
        Assert.Equal(metrics["eval_f1"]!.GetValue<double>(), outcome.Metrics.F1, 9);
        Assert.Equal(metrics["eval_accuracy"]!.GetValue<double>(), outcome.Metrics.Accuracy, 9);
    }

    [Fact]
    public void TrainerDevScores_EqualEvaluateModel_OnTorchAndOnnx()
    {
        // The three roads to a dev score: the trainer's row, `bioner evaluate --model` (TorchSharp), and the same
        // command on ONNX Runtime fp32. All go through one decoder, so they must agree to 4 decimals.
        var metrics = run.Json("metrics.json");
        double trainerF1 = metrics["eval_f1"]!.GetValue<double>(), trainerLoss = metrics["eval_loss"]!.GetValue<double>();
        using var dir = new TempDir();
        var torch = EvaluateJson(dir.File("torch.conll"), "--runtime", "torch");
        var onnx = EvaluateJson(dir.File("onnx.conll"), "--runtime", "onnx");

        Assert.Equal(trainerF1, torch["report"]!["micro avg"]!["f1-score"]!.GetValue<double>(), 4);
        Assert.Equal(trainerLoss, torch["loss"]!.GetValue<double>(), 4);
        Assert.Equal(trainerF1, onnx["report"]!["micro avg"]!["f1-score"]!.GetValue<double>(), 4);
        Assert.Null(onnx["loss"]);
        // Word by word, not only in the totals (EvaluateModelTests checks the same on a model that predicts every type).
        Assert.Equal(File.ReadAllLines(dir.File("torch.conll")), File.ReadAllLines(dir.File("onnx.conll")));
    }

    private JsonObject EvaluateJson(string outFile, params string[] runtime)
    {
        var (code, stdout, stderr) = TrainTestData.Cli(["evaluate", "--model", run.OutDir, "--data", run.Dev, "--batch-size", "8",
            "--json", "--out", outFile, "--threads", "1", .. runtime]);
        Assert.True(code == 0, stderr);
        return JsonNode.Parse(stdout)!.AsObject();
    }

    private static (TrainResult Result, int Steps, int Windows) Run(string train, string dev, string outDir, TrainingOptions o)
    {
        int steps = 0, windows = -1;
        var observer = new TrainingObserver
        {
            Step = _ => steps++,
            Message = m => { var w = Regex.Match(m, @"(\d+) windows"); if (w.Success) windows = int.Parse(w.Groups[1].Value); },
        };
        return (FineTuner.Run(TrainTestData.Request(train, dev, outDir, o), observer), steps, windows);
    }

    [Fact]
    public void Run_GradientAccumulation_StepsPerEpochIsCeilOfBatchesOverAccumulation()
    {
        var o = TrainTestData.Fast() with { TrainBatchSize = 2, GradientAccumulationSteps = 3, Epochs = 2 };
        var (result, steps, windows) = Run(run.Train, run.Dev, run.Tmp.File("accum"), o);

        int batches = (windows + 1) / 2;
        int perEpoch = (batches + 2) / 3;
        Assert.True(batches % 3 != 0, $"pick data where the last accumulation group is partial ({batches} batches)");
        Assert.Equal(2 * perEpoch, steps);
        Assert.Equal([perEpoch, 2 * perEpoch], result.History.Evaluations.Select(e => e.Step));
        Assert.Equal([1.0, 2.0], result.History.Evaluations.Select(e => e.Epoch));
    }

    [Fact]
    public void Run_MaxSteps_StopsExactly()
    {
        var o = TrainTestData.Fast() with { MaxSteps = 5, Epochs = 3 };
        var (result, steps, _) = Run(run.Train, run.Dev, run.Tmp.File("max"), o);

        Assert.Equal(5, steps);
        Assert.Equal(5, result.History.Evaluations[^1].Step);
        Assert.Equal(5, run.Json("../max/metrics.json")["global_step"]!.GetValue<int>());
    }

    [Fact]
    public void Run_EarlyStopping_StopsWhenDevF1StopsImproving()
    {
        var o = TrainTestData.Fast() with { EvalSteps = 1, EarlyStoppingPatience = 2, LearningRate = 1e-5, Epochs = 2 };
        var (result, steps, windows) = Run(run.Train, run.Dev, run.Tmp.File("early"), o);

        var evals = result.History.Evaluations;
        int planned = 2 * ((windows + 3) / 4);
        Assert.True(steps < planned, $"ran all {planned} steps");
        Assert.Equal(steps, evals.Count);                              // one evaluation per step, none after the stop
        double bestBefore = evals.Take(evals.Count - 2).Max(e => e.F1);
        Assert.All(evals.TakeLast(2), e => Assert.True(e.F1 <= bestBefore));
    }

    [Fact]
    public void Run_EvalSteps_AddsRowsBetweenEpochEnds()
    {
        var o = TrainTestData.Fast() with { EvalSteps = 2, Epochs = 1 };
        var (result, steps, _) = Run(run.Train, run.Dev, run.Tmp.File("evalsteps"), o);

        var expected = Enumerable.Range(1, steps - 1).Where(s => s % 2 == 0).Append(steps).ToArray();
        Assert.Equal(expected, result.History.Evaluations.Select(e => e.Step));
        Assert.Equal(expected.Length, TrainTestData.CardRows(run.Tmp.File("evalsteps")).Length);
        Assert.Equal(1.0, result.History.Evaluations[^1].Epoch);
    }
}

/// <summary>Training with <c>--constrained-decoding</c>: its dev rows are what <c>evaluate --model</c> prints by default.</summary>
[Trait("Category", Category.Slow)]
[Collection(TrainingCollection.Name)]
public class ConstrainedTrainingTests
{
    [Fact]
    public void Train_ConstrainedDecoding_DevRowEqualsEvaluateModelDefaultAndTheLibrary()
    {
        using var tmp = new TempDir();
        var (train, dev) = TrainTestData.WriteSubset(tmp.File("data"));
        string outDir = tmp.File("out");
        var options = TrainTestData.Fast(seed: 5) with { ConstrainedDecoding = true, MaxSteps = 3 };
        var result = FineTuner.Run(TrainTestData.Request(train, dev, outDir, options));

        var (code, stdout, stderr) = TrainTestData.Cli(["evaluate", "--model", outDir, "--data", dev, "--json", "--threads", "1"]);
        Assert.True(code == 0, stderr);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal("constrained", json["decode"]!.GetValue<string>());
        Assert.Equal(result.Final.Metrics.F1, json["report"]!["micro avg"]!["f1-score"]!.GetValue<double>(), 4);

        using var pipeline = BioNer.Inference.NerPipeline.Load(outDir,
            new BioNer.Inference.NerOptions { BatchSize = options.EvalBatchSize, MaxSubTokens = options.MaxSequenceLength - 2 });
        var corpus = BioNer.Data.CorpusIO.Read(dev);
        var constrained = BioNer.Evaluation.ModelEvaluator.Evaluate(pipeline, corpus, new BioNer.Evaluation.ModelEvaluationOptions { Constrained = true });
        Assert.Equal(result.Final.Predictions, constrained.Predictions);
        // The kept predictions are IOB2-valid whatever argmax gives.
        foreach (var labels in constrained.Predictions)
            for (int i = 0; i < labels.Count; i++)
                Assert.True(BioNer.Data.Iob2.Allows(i == 0 ? null : labels[i - 1], labels[i]), string.Join(' ', labels));
    }
}
