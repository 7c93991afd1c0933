using System.Text.Json.Nodes;
using BioNer.Checkpoints;
using BioNer.Data;
using BioNer.Inference;
using BioNer.Modeling;
using BioNer.Onnx.Export;
using BioNer.Onnx.Runtime;
using BioNer.Training;
using static TorchSharp.torch;

namespace BioNer.Tests.Training;

/// <summary>One small <c>--head crf</c> run shared by the tests: the roberta-tiny fixture on a slice of the sample.</summary>
public sealed class CrfRun : IDisposable
{
    public TempDir Tmp { get; } = new();
    public string Train { get; }
    public string Dev { get; }
    public string OutDir => Tmp.File("crf");
    public List<string> Log { get; } = [];
    public TrainResult Result { get; }

    public static TrainingOptions Options => TrainTestData.Fast(seed: 5) with { Head = ModelConfig.CrfHead, SaveSteps = 2 };

    public CrfRun()
    {
        (Train, Dev) = TrainTestData.WriteSubset(Tmp.File("data"));
        Result = FineTuner.Run(TrainTestData.Request(Train, Dev, OutDir, Options), new TrainingObserver { Message = Log.Add });
    }

    public IReadOnlyList<IReadOnlyList<string>> DevWords =>
        CorpusIO.Read(Dev).Sentences.Select(s => (IReadOnlyList<string>)s.Words.ToList()).ToList();

    public void Dispose() => Tmp.Dispose();
}

/// <summary>The CRF head end to end: training, saving, reloading, decoding through every runtime, resuming, errors.</summary>
[Trait("Category", Category.Slow)]
[Collection(TrainingCollection.Name)]
public class CrfHeadTests(CrfRun run) : IClassFixture<CrfRun>
{
    [Fact]
    public void Train_CrfHead_SavesAnHfFolderWithTheCrfTensorsAndHeadKey()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(run.OutDir, "config.json")))!;
        Assert.Equal("crf", config["bioner_head"]!.GetValue<string>());
        Assert.Null(config[CrfTransitions.ConfigKey]);                 // the weights hold the scores in a checkpoint
        var tensors = WeightFile.Read(Path.Combine(run.OutDir, "model.safetensors"));
        int l = config["id2label"]!.AsObject().Count;
        Assert.Equal(new long[] { l, l }, tensors["crf.transitions"].shape);
        Assert.Equal(new long[] { l }, tensors["crf.start_transitions"].shape);
        Assert.Equal(new long[] { l }, tensors["crf.end_transitions"].shape);
        Assert.Contains(run.Log, m => m.StartsWith("no CRF in the checkpoint: new CRF head", StringComparison.Ordinal));
        Assert.Contains(run.Log, m => m.Contains("CRF head: transitions at 100 × the learning rate", StringComparison.Ordinal));
        // The transitions learned (they start at zero) and the loss is finite: no forbidden move in the gold paths.
        Assert.True(tensors["crf.transitions"].abs().max().item<float>() > 1e-3);
        Assert.All(run.Result.History.Evaluations, e => Assert.True(double.IsFinite(e.ValidationLoss) && e.ValidationLoss < 100));
        string card = File.ReadAllText(Path.Combine(run.OutDir, "README.md"));
        Assert.Contains("- head: crf (linear-chain CRF", card);
        Assert.Contains("- dev/test decoding: CRF Viterbi", card);
    }

    [Fact]
    public void Reload_KeepsTheScores_AndEveryDecodedSequenceIsValidIob2()
    {
        using var model = CheckpointLoader.Load(run.OutDir);
        Assert.NotNull(model.Crf);
        using var pipeline = NerPipeline.Load(run.OutDir);
        Assert.Equal(model.Crf!.ToTransitions().Moves.SelectMany(r => r), pipeline.Crf!.Moves.SelectMany(r => r));
        foreach (var labels in pipeline.LabelWords(run.DevWords))
            for (int i = 0; i < labels.Length; i++) Assert.True(Iob2.Allows(i == 0 ? null : labels[i - 1], labels[i]), string.Join(' ', labels));
    }

    // A copy of the trained model whose CRF forces every word to one B- label (no argmax would say that): a decoder that
    // uses the CRF's scores gives that label everywhere, one that ignores them does not.
    private (string Dir, string Label) ForcedCopy()
    {
        string dir = run.Tmp.File($"forced-{Guid.NewGuid():N}");
        using var model = CheckpointLoader.Load(run.OutDir);
        var crf = model.Crf!;
        int b = crf.Labels.ToList().FindIndex(l => l.StartsWith("B-", StringComparison.Ordinal));
        using (no_grad())
        {
            using (var s = crf.StartTransitions[b]) s.fill_(1000);
            using (var m = crf.Transitions[b, b]) m.fill_(1000);
        }
        CheckpointWriter.Save(model, dir, d => BioNer.Tokenization.HfTokenizer.Load(run.OutDir).SaveTo(d));
        return (dir, crf.Labels[b]);
    }

    [Fact]
    public void Decoding_UsesTheCrfScores_InTorchOnnxAndTheCli_AndArgmaxIgnoresThem()
    {
        var (forced, label) = ForcedCopy();
        using (var torchCrf = NerPipeline.Load(forced))
            Assert.All(torchCrf.LabelWords(run.DevWords).SelectMany(l => l), l => Assert.Equal(label, l));
        using (var argmax = new NerPipeline(TorchTokenScorer.Load(forced), new NerOptions { Constrained = false }))
        using (var plain = new NerPipeline(TorchTokenScorer.Load(run.OutDir), new NerOptions { Constrained = false }))
        {
            var words = argmax.LabelWords(run.DevWords);
            Assert.Equal(plain.LabelWords(run.DevWords), words);                          // emissions untouched
            Assert.Contains(words.SelectMany(l => l), l => l != label);
        }
        using (var raw = NerPipeline.Load(forced))
        {
            string text = string.Join(' ', run.DevWords[0]);
            var entities = raw.Predict(text);                                              // raw text too: each word a B-, so an entity
            Assert.Equal(run.DevWords[0].Count, entities.Count);
            Assert.All(entities, e => Assert.Equal(label[2..], e.Type));
        }

        using var export = new TempDir();
        OnnxExporter.Export(forced, export.Path);
        var exported = JsonNode.Parse(File.ReadAllText(Path.Combine(export.Path, "config.json")))!;
        Assert.NotNull(exported[CrfTransitions.ConfigKey]);
        using (var onnx = new NerPipeline(OnnxTokenScorer.Load(export.Path)))
            Assert.All(onnx.LabelWords(run.DevWords).SelectMany(l => l), l => Assert.Equal(label, l));

        // Token accuracy tells the two decodings apart (every word the forced label against mostly O).
        double ExpectedAccuracy(bool? constrained)
        {
            using var p = NerPipeline.Load(forced);
            return BioNer.Evaluation.ModelEvaluator.Evaluate(p, CorpusIO.Read(run.Dev),
                new BioNer.Evaluation.ModelEvaluationOptions { Constrained = constrained }).Metrics.Accuracy;
        }
        var (code, stdout, stderr) = CliRunner.Run("evaluate", "--model", forced, "--gold", run.Dev, "--json");
        Assert.True(code == 0, stderr);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal("constrained", json["decode"]!.GetValue<string>());
        Assert.Equal(ExpectedAccuracy(null), json["accuracy"]!.GetValue<double>(), 1e-9);
        (code, stdout, stderr) = CliRunner.Run("evaluate", "--model", forced, "--gold", run.Dev, "--json", "--decode", "argmax");
        Assert.True(code == 0, stderr);
        json = JsonNode.Parse(stdout)!;
        Assert.Equal("argmax", json["decode"]!.GetValue<string>());
        Assert.Equal(ExpectedAccuracy(false), json["accuracy"]!.GetValue<double>(), 1e-9);
        Assert.True(ExpectedAccuracy(false) > ExpectedAccuracy(null) + 0.2);
    }

    [Fact]
    public void Onnx_DecodesLikeTorch_OnTheTrainedCrf()
    {
        using var export = new TempDir();
        OnnxExporter.Export(run.OutDir, export.Path);
        using var torch = NerPipeline.Load(run.OutDir);
        using var onnx = new NerPipeline(OnnxTokenScorer.Load(export.Path));
        Assert.NotNull(onnx.Crf);
        for (int i = 0; i < torch.Crf!.Count; i++)
            Assert.Equal(torch.Crf.Moves[i], onnx.Crf!.Moves[i].Select(v => v), new ToleranceComparer(1e-6));
        Assert.Equal(torch.LabelWords(run.DevWords), onnx.LabelWords(run.DevWords));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(double v) => 0;
    }

    [Fact]
    public void Optimizer_PutsTheCrfInItsOwnGroup_AtTheCrfLearningRate()
    {
        using var model = CheckpointLoader.Load(run.OutDir);
        var options = CrfRun.Options with { LearningRate = 1e-4, CrfLearningRate = 5e-3 };
        using var optimizer = TrainingSteps.CreateOptimizer(model, options);
        Assert.Equal(3, optimizer.Groups.Count);
        int l = model.Config.NumLabels;
        Assert.Equal(l * l + 2L * l, optimizer.Groups[2].Length);
        Assert.Equal(50.0, optimizer.Groups[2].LearningRateScale, 1e-9);
        Assert.All(optimizer.Slots.Where(s => s.Group == 2), s => Assert.StartsWith("crf.", s.Name));
        // Adam's first step moves each parameter by ~lr·sign(gradient): the CRF's by 5e-3, the classifier's by 1e-4.
        var before = model.Crf!.Transitions.detach().clone();
        var headBefore = model.Classifier.bias!.detach().clone();
        using (no_grad())
        {
            model.Crf.Transitions.grad!.fill_(1);
            model.Classifier.bias!.grad!.fill_(1);
        }
        optimizer.Step(options.LearningRate, 0);
        Assert.Equal(-5e-3, (model.Crf.Transitions - before).mean().item<float>(), 1e-6);
        Assert.Equal(-1e-4, (model.Classifier.bias! - headBefore).mean().item<float>(), 1e-7);
    }

    [Fact]
    public void Resume_CrfRun_EndsWithTheSameWeights()
    {
        string outDir = run.Tmp.File($"crash-{Guid.NewGuid():N}");
        var request = TrainTestData.Request(run.Train, run.Dev, outDir, CrfRun.Options);
        Assert.ThrowsAny<InvalidOperationException>(() => FineTuner.Run(request,
            new TrainingObserver { Step = p => { if (p.Step == 3) throw new InvalidOperationException("crash"); } }));
        FineTuner.Resume(outDir);
        Assert.Equal(TrainTestData.Weights(run.OutDir), TrainTestData.Weights(outDir));
    }

    [Fact]
    public void Finetune_CrfModelWithSoftmaxHead_DropsTheCrfAndSaysSo()
    {
        var log = new List<string>();
        using var model = CheckpointLoader.Load(run.OutDir, log: log.Add, head: ModelConfig.SoftmaxHead);
        Assert.Null(model.Crf);
        Assert.Contains(log, m => m.Contains("crf.transitions", StringComparison.Ordinal) && m.StartsWith("ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_CrfWithOtherLabels_KeepsTheScoresOfKnownMovesByName()
    {
        using var trained = CheckpointLoader.Load(run.OutDir);
        var labels = trained.Config.Labels.Reverse().Append("B-Extra").ToList();
        using var moved = CheckpointLoader.Load(run.OutDir, labels);
        var a = trained.Crf!.ToTransitions();
        var b = moved.Crf!.ToTransitions();
        var oldIndex = trained.Config.Label2Id;
        for (int i = 0; i < labels.Count; i++)
            for (int j = 0; j < labels.Count; j++)
            {
                bool known = oldIndex.ContainsKey(labels[i]) && oldIndex.ContainsKey(labels[j]);
                Assert.Equal(known ? a.Moves[oldIndex[labels[i]]][oldIndex[labels[j]]] : 0.0, b.Moves[i][j]);
            }
    }

    [Fact]
    public void Train_CrfWithLabelAllTokens_IsRefusedByName()
    {
        var request = TrainTestData.Request(run.Train, run.Dev, run.Tmp.File("refused"), CrfRun.Options with { LabelAllTokens = true });
        var e = Assert.Throws<BioNerException>(() => FineTuner.Run(request));
        Assert.Contains("--head", e.Message);
        Assert.Contains("crf", e.Message);
        Assert.Contains("--label-all-tokens", e.Message);
        var bad = Assert.Throws<BioNerException>(() => (CrfRun.Options with { Head = "hmm" }).Validate());
        Assert.Contains("--head", bad.Message);
    }

    [Fact]
    public void Cli_TrainWithHeadCrf_WritesACrfModel()
    {
        string outDir = run.Tmp.File("cli");
        var (code, stdout, stderr) = CliRunner.Run("train", "--model", TrainTestData.TinyModel, "--train", run.Train, "--dev", run.Dev,
            "--out", outDir, "--head", "crf", "--crf-lr", "0.01", "--epochs", "1", "--max-length", "32", "--threads", "1");
        Assert.True(code == 0, stderr);
        Assert.Contains("CRF head: transitions at 333.3 × the learning rate", stdout + stderr);
        Assert.Equal("crf", JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "config.json")))!["bioner_head"]!.GetValue<string>());
    }
}
