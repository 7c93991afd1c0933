using BioNer.Training;

namespace BioNer.Tests.Training;

/// <summary>Reports say which weights a run saved: the best checkpoint or the last weights, with epoch and step.</summary>
public class KeptWeightsTests
{
    private static TrainingHistory History(params (double Epoch, int Step, double F1)[] rows)
    {
        var h = new TrainingHistory();
        foreach (var (epoch, step, f1) in rows) h.Evaluations.Add(new EvalRow(epoch, step, 0.5, 0.4, f1, f1, f1, 0.9));
        return h;
    }

    [Fact]
    public void ToString_BestKept_NamesEpochAndStepOfTheBestEvaluation()
    {
        var kept = KeptWeights.Of(History((1, 10, 0.5), (2, 20, 0.7), (3, 30, 0.7), (4, 40, 0.6)), usedBest: true);
        Assert.Equal("best checkpoint by dev F1, epoch 2 (step 20)", kept.ToString());
    }

    [Fact]
    public void ToString_KeepLast_NamesTheLastEvaluationAndTheFlag()
    {
        var kept = KeptWeights.Of(History((1, 10, 0.5), (1.5, 15, 0.7), (2, 20, 0.6)), usedBest: false);
        Assert.Equal("last weights, epoch 2 (step 20), kept by --keep-last", kept.ToString());
    }

    [Fact]
    public void ToString_StepEvaluation_ShowsFractionalEpoch()
    {
        var kept = KeptWeights.Of(History((0.25, 5, 0.9), (1, 20, 0.6)), usedBest: true);
        Assert.Equal("best checkpoint by dev F1, epoch 0.25 (step 5)", kept.ToString());
    }
}
