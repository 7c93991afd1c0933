using BioNer.Tests.Data;
using BioNer.Training;

namespace BioNer.Tests.Training;

/// <summary>
/// Bad input stops <c>bioner train</c> before the first step with exit code 2 and a message that names the file and
/// line, or the option, at fault. Nothing is written until every check has passed (<c>PrepareOutput</c> is a run's
/// first write): a rejected request leaves the output folder as it was, an earlier run's checkpoints included.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class TrainInputErrorTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly string _train, _dev;

    public TrainInputErrorTests() => (_train, _dev) = TrainTestData.WriteSubset(_tmp.File("data"), train: 8, dev: 4);

    public void Dispose() => _tmp.Dispose();

    /// <summary>A valid command line with <paramref name="overrides"/> (option, value pairs) replacing the defaults.</summary>
    private string[] Args(params string[] overrides)
    {
        var options = new Dictionary<string, string>
        {
            ["--model"] = TrainTestData.TinyModel, ["--train"] = _train, ["--dev"] = _dev, ["--out"] = _tmp.File("out"),
            ["--threads"] = "1", ["--max-length"] = "32", ["--epochs"] = "1",
        };
        for (int i = 0; i < overrides.Length; i += 2) options[overrides[i]] = overrides[i + 1];
        return ["train", .. options.SelectMany(kv => new[] { kv.Key, kv.Value })];
    }

    private void AssertRejected(string[] args, params string[] fragments)
    {
        var (code, stdout, stderr) = TrainTestData.Cli(args);
        Assert.True(code == 2, $"exit {code}; stderr: {stderr}");
        Assert.StartsWith("error: ", stderr);
        foreach (var f in fragments) Assert.Contains(f, stderr);
        Assert.DoesNotContain("step 1/", stdout);
        Assert.False(Directory.Exists(Path.Combine(_tmp.File("out"), "checkpoints")), "training started");
    }

    [Fact]
    public void Train_DevTypeAbsentFromTraining_NamesDevFileLineAndLabel()
    {
        var sentences = TrainTestData.Sentences(_dev);
        int line = sentences[0].Count + 2;                       // first word of the second sentence
        sentences[1][0] = sentences[1][0].Split('\t')[0] + "\tB-Disease";
        string dev = TrainTestData.WriteConll(_tmp.File("dev-disease.conll"), sentences);

        AssertRejected(Args("--dev", dev), $"{dev}:{line}:", "'B-Disease'");
    }

    [Fact]
    public void Train_EmptyTrainingSplit_NamesFile()
    {
        string empty = _tmp.Write("empty.conll", "-DOCSTART-\n\n\n");
        AssertRejected(Args("--train", empty), empty, "empty");
    }

    [Fact]
    public void Train_MissingTrainingFile_NamesFile()
    {
        string missing = _tmp.File("nope.conll");
        AssertRejected(Args("--train", missing), missing, "not found");
    }

    [Fact]
    public void Train_ModelFolderWithoutTokenizer_NamesFolder()
    {
        string model = _tmp.File("no-tokenizer");
        Directory.CreateDirectory(model);
        foreach (var f in new[] { "config.json", "model.safetensors" })
            File.Copy(Path.Combine(TrainTestData.TinyModel, f), Path.Combine(model, f));
        AssertRejected(Args("--model", model), model, "tokenizer");
    }

    [Fact]
    public void Train_OutputUnderARegularFile_SaysNotWritable()
    {
        string file = _tmp.Write("file.txt", "x");
        string outDir = Path.Combine(file, "out");
        AssertRejected(Args("--out", outDir), outDir, "not writable");
    }

    [Theory]
    [InlineData("--lr", "0")]
    [InlineData("--batch-size", "0")]
    [InlineData("--epochs", "0")]
    [InlineData("--max-length", "4")]
    [InlineData("--grad-accum", "0")]
    public void Train_OutOfRangeOption_NamesOption(string option, string value) =>
        AssertRejected(Args(option, value), $"option {option} ", value);

    [Fact]
    public void Train_MalformedConfigJson_NamesFileAndLine()
    {
        string config = _tmp.Write("run.json", "{\n  \"learning_rate\": 0.001,\n  \"epochs\": ,\n  \"seed\": 3\n}\n");
        AssertRejected(Args("--config", config), $"{config}:3:");
    }

    [Fact]
    public void Train_UnknownConfigKey_NamesKeyAndLine()
    {
        string config = _tmp.Write("run.json", "{\n  \"learning_rate\": 0.001,\n  \"epochz\": 2\n}\n");
        AssertRejected(Args("--config", config), $"{config}:3:", "epochz");
    }

    [Fact]
    public void Train_TrainWithoutDev_IsAnErrorNotTheSampleDev() =>
        AssertRejected(["train", "--model", TrainTestData.TinyModel, "--train", _train, "--out", _tmp.File("out")], "--dev");

    [Fact]
    public void Train_DevWithoutTrain_IsAnError() =>
        AssertRejected(["train", "--model", TrainTestData.TinyModel, "--dev", _dev, "--out", _tmp.File("out")], "--train");

    [Fact]
    public void Train_ResumeWithOtherOptions_IsRefusedNamingThem() =>
        AssertRejected(["train", "--resume", _tmp.File("out"), "--lr", "1e-4", "--threads", "1"], "--resume", "--lr", "--threads");

    // A dev label the training data lacks is found only after the model, tokenizer and both splits are loaded.
    private string DevWithUnknownType()
    {
        var sentences = TrainTestData.Sentences(_dev);
        sentences[0][0] = sentences[0][0].Split('\t')[0] + "\tB-Disease";
        return TrainTestData.WriteConll(_tmp.File("dev-unknown-type.conll"), sentences);
    }

    [Fact]
    public void Run_RejectedAfterLoading_DoesNotCreateTheOutputFolder()
    {
        string outDir = _tmp.File("new-out");
        var request = TrainTestData.Request(_train, DevWithUnknownType(), outDir, TrainTestData.Fast());

        Assert.Throws<BioNerException>(() => FineTuner.Run(request));

        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Run_RejectedAfterLoading_KeepsAnEarlierRunsCheckpointsAndSettings()
    {
        string outDir = _tmp.File("earlier-run");
        string checkpoint = Path.Combine(TrainingCheckpoint.Root(outDir), "checkpoint-2");
        Directory.CreateDirectory(checkpoint);
        File.WriteAllText(Path.Combine(checkpoint, "resume.json"), "{}");
        File.WriteAllText(Path.Combine(outDir, "run.json"), "earlier settings");
        var request = TrainTestData.Request(_train, DevWithUnknownType(), outDir, TrainTestData.Fast());

        Assert.Throws<BioNerException>(() => FineTuner.Run(request));

        Assert.True(File.Exists(Path.Combine(checkpoint, "resume.json")));
        Assert.Equal("earlier settings", File.ReadAllText(Path.Combine(outDir, "run.json")));
        Assert.Equal(["checkpoints", "run.json"], Directory.GetFileSystemEntries(outDir).Select(e => Path.GetRelativePath(outDir, e)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Run_MissingTrainingFile_WritesNothing()
    {
        string outDir = _tmp.File("missing-train");
        var request = TrainTestData.Request(_tmp.File("nope.conll"), _dev, outDir, TrainTestData.Fast());

        var e = Assert.Throws<BioNerException>(() => FineTuner.Run(request));

        Assert.Contains("not found", e.Message);
        Assert.False(Directory.Exists(outDir));
    }
}
