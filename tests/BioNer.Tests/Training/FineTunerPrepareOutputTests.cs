using BioNer.Training;

namespace BioNer.Tests.Training;

/// <summary>
/// A run writes nothing until every check has passed (<c>PrepareOutput</c> is its first write): a rejected request
/// leaves the output folder as it was, an earlier run's checkpoints and settings included.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class FineTunerPrepareOutputTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly string _train, _dev;

    public FineTunerPrepareOutputTests() => (_train, _dev) = TrainTestData.WriteSubset(_tmp.File("data"), train: 8, dev: 4);

    public void Dispose() => _tmp.Dispose();

    // A dev label the training data lacks is found only after the model, tokenizer and both splits are loaded.
    private string DevWithUnknownType()
    {
        var sentences = TrainTestData.Sentences(_dev);
        sentences[0][0] = sentences[0][0].Split('\t')[0] + "\tB-Disease";
        return TrainTestData.WriteConll(_tmp.File("dev-disease.conll"), sentences);
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
