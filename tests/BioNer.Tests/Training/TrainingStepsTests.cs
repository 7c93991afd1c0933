using BioNer.Modeling;
using BioNer.Tests.Modeling;
using BioNer.Tokenization;
using BioNer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace BioNer.Tests.Training;

/// <summary>The shared step arithmetic that FineTuner and the throughput benchmark both run.</summary>
public class TrainingStepsTests
{
    private static EncodedBatch Batch(bool labelled)
    {
        int[] label = labelled ? [-100, 1, 2, -100] : [-100, -100, -100, -100];
        var seqs = new[]
        {
            new EncodedSequence([0, 7, 9, 2], [-1, 0, 1, -1], label, 0, 0, 2),
            new EncodedSequence([0, 5, 2], [-1, 0, -1], [-100, labelled ? 3 : -100, -100], 1, 0, 1),
        };
        return Collator.Pad(seqs, padId: 1);
    }

    [Fact]
    public void ForwardBackward_LabelledBatch_FiniteLossAndGradients()
    {
        using var model = ModelFactory.Create(ModelTestData.TinyConfig("roberta"), seed: 3);
        model.train();
        float loss = TrainingSteps.ForwardBackward(model, Batch(labelled: true));
        Assert.True(float.IsFinite(loss) && loss > 0, $"loss {loss}");
        using var grad = model.Classifier.weight!.grad;
        Assert.NotNull(grad);
        Assert.True(grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void ForwardBackward_NoLabelledPosition_NaNAndNoBackward()
    {
        using var model = ModelFactory.Create(ModelTestData.TinyConfig("roberta"), seed: 3);
        model.train();
        Assert.True(float.IsNaN(TrainingSteps.ForwardBackward(model, Batch(labelled: false))));
        Assert.All(model.parameters(), p => Assert.True(p.grad is null));
    }

    [Fact]
    public void ApplyGradients_AfterBackward_MovesWeightsAndClearsGradients()
    {
        using var model = ModelFactory.Create(ModelTestData.TinyConfig("roberta"), seed: 3);
        model.train();
        using var optimizer = TrainingSteps.CreateOptimizer(model, new TrainingOptions { LearningRate = 1e-2 });
        using var before = model.Classifier.weight!.detach().clone();
        TrainingSteps.ForwardBackward(model, Batch(labelled: true));
        TrainingSteps.ApplyGradients(model, optimizer, maxGradNorm: 1.0, learningRate: 1e-2);
        using var scope = NewDisposeScope();
        Assert.True(model.Classifier.weight!.sub(before).abs().max().item<float>() > 1e-4);
        Assert.All(model.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
        Assert.Equal(1e-2, optimizer.ParamGroups.First().LearningRate);
    }

    [Fact]
    public void CreateOptimizer_WeightDecay_OnlyOnNonBiasNonLayerNormWeights()
    {
        using var model = ModelFactory.Create(ModelTestData.TinyConfig("roberta"), seed: 3);
        using var optimizer = TrainingSteps.CreateOptimizer(model, new TrainingOptions { WeightDecay = 0.01 });
        var groups = optimizer.ParamGroups.Cast<TorchSharp.Modules.AdamW.ParamGroup>().ToList();
        Assert.Equal(2, groups.Count);
        Assert.Equal(0.01, groups[0].Options.weight_decay);
        Assert.Equal(0.0, groups[1].Options.weight_decay);
        int noDecay = model.named_parameters().Count(p => p.name.EndsWith(".bias", StringComparison.Ordinal) || p.name.Contains("LayerNorm", StringComparison.Ordinal));
        Assert.Equal(noDecay, groups[1].Parameters.Count());
        Assert.Equal(model.parameters().Count() - noDecay, groups[0].Parameters.Count());
    }
}
