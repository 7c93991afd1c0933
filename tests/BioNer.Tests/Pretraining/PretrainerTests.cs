using System.Text.Json.Nodes;
using BioNer.Modeling;
using BioNer.Pretraining;
using BioNer.Tests.Training;
using BioNer.Training;

namespace BioNer.Tests.Pretraining;

/// <summary>One small pretraining run on the roberta-tiny-mlm fixture and the sample's text, shared by the tests.</summary>
public sealed class PretrainRun : IDisposable
{
    public TempDir Tmp { get; } = new();
    public string Text { get; }
    public string OutDir => Tmp.File("mlm");
    public List<string> Log { get; } = [];
    public PretrainResult Result { get; }

    public static string Model => Path.Combine(AppContext.BaseDirectory, "fixtures", "roberta-tiny-mlm");

    public static TrainingOptions Options => new()
    {
        Seed = 3, Threads = 1, MaxSequenceLength = 32, TrainBatchSize = 4, EvalBatchSize = 8, Epochs = 2, LearningRate = 1e-3,
        SaveSteps = 5, LoggingSteps = 1,
    };

    public PretrainRun()
    {
        Text = Tmp.Write("text.txt", string.Join('\n', TrainTestData.Sentences(TrainTestData.SampleFile("train.conll")).Take(80)
            .Select(s => string.Join(' ', s.Select(l => l.Split('\t')[0])))));
        Result = Pretrainer.Run(new PretrainRequest(Model, [Text], OutDir, Options, new MlmOptions { ValidationSplitPercentage = 10 }),
            new TrainingObserver { Message = Log.Add });
    }

    public void Dispose() => Tmp.Dispose();
}

/// <summary>The pretraining loop: it learns, it writes an HF folder that fine-tunes, it resumes exactly, and it refuses bad input.</summary>
[Trait("Category", Category.Slow)]
[Collection(TrainingCollection.Name)]
public class PretrainerTests(PretrainRun run) : IClassFixture<PretrainRun>
{
    [Fact]
    public void Run_LowersValidationPerplexity_AndWritesAnHfMaskedLmFolder()
    {
        Assert.True(run.Result.PerplexityAfter < run.Result.PerplexityBefore * 0.9,
            $"perplexity {run.Result.PerplexityBefore} -> {run.Result.PerplexityAfter}");
        Assert.Equal(0, run.Result.Evaluations[0].Step);
        Assert.Equal(3, run.Result.Evaluations.Count);                       // before, after epoch 1, after epoch 2
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(run.OutDir, "config.json")))!;
        Assert.Equal("RobertaForMaskedLM", config["architectures"]![0]!.GetValue<string>());
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(run.OutDir, "metrics.json")))!;
        Assert.Equal(run.Result.PerplexityAfter!.Value, metrics["perplexity_after"]!.GetValue<double>(), 1e-9);
        Assert.True(File.Exists(Path.Combine(run.OutDir, "tokenizer.json")));
        Assert.Contains("validation perplexity", File.ReadAllText(Path.Combine(run.OutDir, "README.md")));
        Assert.Contains(run.Log, l => l.StartsWith("text: 80 rows (8 held out)", StringComparison.Ordinal));
        var log = new List<string>();
        using var reloaded = MaskedLanguageModel.Load(run.OutDir, log.Add);
        Assert.Contains(log, l => l.StartsWith("loaded RobertaForMaskedLM head", StringComparison.Ordinal));
    }

    [Fact]
    public void PretrainedFolder_FineTunesWithTrain()
    {
        var (train, dev) = TrainTestData.WriteSubset(run.Tmp.File($"ner-data-{Guid.NewGuid():N}"), train: 8, dev: 4);
        var result = FineTuner.Run(TrainTestData.Request(train, dev, run.Tmp.File($"ner-{Guid.NewGuid():N}"), TrainTestData.Fast() with { Epochs = 1 }, run.OutDir));
        Assert.Single(result.History.Evaluations);
    }

    [Fact]
    public void Resume_AfterACrash_EndsWithTheSameWeights()
    {
        string outDir = run.Tmp.File($"crash-{Guid.NewGuid():N}");
        var request = new PretrainRequest(PretrainRun.Model, [run.Text], outDir, PretrainRun.Options, new MlmOptions { ValidationSplitPercentage = 10 });
        Assert.Throws<InvalidOperationException>(() => Pretrainer.Run(request,
            new TrainingObserver { Step = p => { if (p.Step == 7) throw new InvalidOperationException("crash"); } }));
        Assert.EndsWith("checkpoint-5", TrainingCheckpoint.Find(outDir));
        double secondsBefore = TrainingCheckpoint.ReadResume(TrainingCheckpoint.Find(outDir)).Throughput!.TrainSeconds;
        Assert.True(secondsBefore > 0);
        var resumed = Pretrainer.Resume(outDir);
        Assert.True(resumed.TrainSeconds > secondsBefore, $"{resumed.TrainSeconds} s reported, {secondsBefore} s before the crash");   // the whole run's time
        // The tokens of the whole run, counted once: as many as the uninterrupted run's (its last checkpoint says so too).
        Assert.Equal(TrainingCheckpoint.ReadResume(TrainingCheckpoint.Find(run.OutDir)).Throughput!.RealTokens,
            TrainingCheckpoint.ReadResume(TrainingCheckpoint.Find(outDir)).Throughput!.RealTokens);
        Assert.Equal(TrainTestData.Weights(run.OutDir), TrainTestData.Weights(outDir));
        Assert.Equal(run.Result.Evaluations.Select(e => e.Loss), resumed.Evaluations.Select(e => e.Loss));
    }

    [Fact]
    public void Run_TooLittleText_SaysSoBeforeWriting()
    {
        string text = run.Tmp.Write($"short-{Guid.NewGuid():N}.txt", "Brca1 binds p53.\n");
        string outDir = run.Tmp.File($"short-{Guid.NewGuid():N}");
        var e = Assert.Throws<BioNerException>(() => Pretrainer.Run(new PretrainRequest(PretrainRun.Model, [text], outDir,
            PretrainRun.Options with { MaxSequenceLength = 128 }, new MlmOptions())));
        Assert.Contains("no training sequence of 128 tokens", e.Message);
        Assert.False(Directory.Exists(outDir));
        var bad = Assert.Throws<BioNerException>(() => new MlmOptions { MlmProbability = 1.5 }.Validate());
        Assert.Contains("--mlm-probability", bad.Message);
    }

    [Fact]
    public void Cli_Pretrain_WholeWordsLineByLine_RunsAndRefusesNerOnlyFlags()
    {
        string outDir = run.Tmp.File($"cli-{Guid.NewGuid():N}");
        var (code, stdout, stderr) = CliRunner.Run("pretrain", "--model", PretrainRun.Model, "--train", run.Text, "--out", outDir,
            "--max-length", "32", "--max-steps", "3", "--whole-word-mask", "--line-by-line", "--threads", "1");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("validation perplexity", stdout);
        Assert.True(File.Exists(Path.Combine(outDir, "model.safetensors")));
        var saved = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, PretrainRequest.FileName)))!;
        Assert.True(saved["mlm"]!["whole_word_mask"]!.GetValue<bool>());
        Assert.Equal(5e-5, saved["options"]!["learning_rate"]!.GetValue<double>());   // run_mlm.py's default, not train's
        (code, _, stderr) = CliRunner.Run("pretrain", "--train", run.Text, "--out", outDir, "--head", "crf");
        Assert.NotEqual(0, code);
        Assert.Contains("--head", stderr);
        (code, stdout, _) = CliRunner.Run("pretrain", "--help");
        Assert.Contains("--mlm-probability", stdout);
        Assert.Contains("[default: 5e-05]", stdout);
    }
}
