using BioNer.Tests.Data;
using BioNer.Training;

namespace BioNer.Tests.Training;

/// <summary><c>--save-total-limit</c> (HF <c>save_total_limit</c>): which checkpoints a run keeps, and that resuming takes the newest.</summary>
[Trait("Category", Category.Slow)]
[Collection(TrainingCollection.Name)]
public sealed class CheckpointRetentionTests
{
    private static List<int> Steps(string outDir) =>
        Directory.GetDirectories(TrainingCheckpoint.Root(outDir), "checkpoint-*")
            .Select(d => int.Parse(Path.GetFileName(d)["checkpoint-".Length..])).Order().ToList();

    [Fact]
    public void Train_SaveTotalLimit_KeepsTheNewestByStepAndZeroKeepsAll()
    {
        using var tmp = new TempDir();
        var (train, dev) = TrainTestData.WriteSubset(tmp.File("data"));
        var o = TrainTestData.Fast(seed: 3) with { SaveSteps = 2 };
        var steps = new List<int>();
        FineTuner.Run(TrainTestData.Request(train, dev, tmp.File("all"), o with { SaveTotalLimit = 0 }),
            new TrainingObserver { Message = m => { if (m.StartsWith("checkpoint saved", StringComparison.Ordinal)) steps.Add(int.Parse(m[(m.LastIndexOf('-') + 1)..])); } });
        Assert.True(steps.Count >= 5, $"{steps.Count} checkpoints saved");
        Assert.Equal(steps.Order(), Steps(tmp.File("all")));            // 0: every checkpoint stays, checkpoint-10 after checkpoint-9

        FineTuner.Run(TrainTestData.Request(train, dev, tmp.File("three"), o with { SaveTotalLimit = 3 }));
        Assert.Equal(steps.Order().TakeLast(3), Steps(tmp.File("three")));

        FineTuner.Run(TrainTestData.Request(train, dev, tmp.File("one"), o));
        Assert.Equal([steps.Max()], Steps(tmp.File("one")));             // the default: the newest only
        Assert.Equal(TrainTestData.Weights(tmp.File("one")), TrainTestData.Weights(tmp.File("all")));
        Assert.EndsWith($"checkpoint-{steps.Max()}", TrainingCheckpoint.Find(tmp.File("all")));
    }

    [Fact]
    public void Options_NegativeSaveTotalLimit_IsRefusedByName()
    {
        var e = Assert.Throws<BioNerException>(() => (new TrainingOptions { SaveTotalLimit = -1 }).Validate());
        Assert.Contains("--save-total-limit", e.Message);
    }
}
