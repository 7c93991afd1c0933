using BioNer.Tests.Data;
using BioNer.Training;
using TorchSharp;

namespace BioNer.Tests.Training;

/// <summary>Same seed and threads → the same run, bit for bit; another seed → another run; no native leaks.</summary>
[Collection(TrainingCollection.Name)]
public class FineTunerDeterminismTests
{
    private static (List<double> Losses, TrainResult Result) RunRecording(string train, string dev, string outDir, TrainingOptions o)
    {
        var losses = new List<double>();
        var result = FineTuner.Run(TrainTestData.Request(train, dev, outDir, o), new TrainingObserver { Step = p => losses.Add(p.Loss) });
        return (losses, result);
    }

    [Fact]
    public void Run_SameSeedAndThreads_IdenticalLossesWeightsAndMetrics_OtherSeedDiffers()
    {
        using var tmp = new TempDir();
        var (train, dev) = TrainTestData.WriteSubset(tmp.File("data"));
        var o = TrainTestData.Fast(seed: 7) with { Epochs = 1 };

        var (l1, r1) = RunRecording(train, dev, tmp.File("a"), o);
        var (l2, r2) = RunRecording(train, dev, tmp.File("b"), o);
        var (l3, _) = RunRecording(train, dev, tmp.File("c"), o with { Seed = 8 });

        Assert.True(l1.Count >= 6, $"expected several steps, got {l1.Count}");
        Assert.All(l1, l => Assert.True(double.IsFinite(l) && l > 0));
        Assert.Equal(l1, l2);
        Assert.Equal(TrainTestData.Weights(tmp.File("a")), TrainTestData.Weights(tmp.File("b")));
        Assert.Equal(TrainTestData.EvalMetrics(tmp.File("a")), TrainTestData.EvalMetrics(tmp.File("b")));
        Assert.Equal(r1.Final.Predictions, r2.Final.Predictions);
        Assert.Equal(r1.Final.Loss, r2.Final.Loss);

        Assert.Equal(l1.Count, l3.Count);
        Assert.NotEqual(l1, l3);
        Assert.NotEqual(TrainTestData.Weights(tmp.File("a")), TrainTestData.Weights(tmp.File("c")));
    }

    [Fact]
    public void Run_TwentyTwoSteps_LiveTensorCountStaysFlat()
    {
        using var tmp = new TempDir();
        var (train, dev) = TrainTestData.WriteSubset(tmp.File("data"));
        var o = TrainTestData.Fast() with { TrainBatchSize = 1, Epochs = 1, MaxSteps = 22, EvalSteps = 5, SaveSteps = 7 };
        var live = new List<long>();
        var observer = new TrainingObserver { Step = _ => live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount) };

        FineTuner.Run(TrainTestData.Request(train, dev, tmp.File("out"), o), observer);

        Assert.Equal(22, live.Count);
        // Step 1 creates the optimizer's moment tensors; from then on each step (and each evaluation/checkpoint in
        // between) must free everything it made.
        Assert.All(live.Skip(1), n => Assert.Equal(live[1], n));
    }
}
