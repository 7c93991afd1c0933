using BioNer.Checkpoints;
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
        TrainingSteps.ApplyGradients(optimizer, maxGradNorm: 1.0, learningRate: 1e-2);
        using var scope = NewDisposeScope();
        Assert.True(model.Classifier.weight!.sub(before).abs().max().item<float>() > 1e-4);
        Assert.All(model.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
        Assert.Equal(1, optimizer.StepCount);
    }

    /// <summary>
    /// HF Trainer's grouping, as its code defines it (<c>Trainer.get_decay_parameter_names</c>:
    /// <c>get_parameter_names(model, [nn.LayerNorm])</c>, then names containing "bias" removed): a parameter gets no
    /// weight decay when it belongs to a LayerNorm <em>module</em> or its name contains "bias". Checked by module type on
    /// real checkpoints' parameter names, not by the implementation's string rule.
    /// </summary>
    private static (SortedSet<string> Decay, SortedSet<string> NoDecay) HfGroups(TokenClassifier model)
    {
        var inLayerNorm = model.named_modules()
            .Where(m => m.module is TorchSharp.Modules.LayerNorm)
            .SelectMany(m => m.module.named_parameters().Select(p => $"{m.name}.{p.name}"))
            .ToHashSet();
        var names = model.named_parameters().Select(p => p.name).ToList();
        var noDecay = names.Where(n => inLayerNorm.Contains(n) || n.Contains("bias", StringComparison.OrdinalIgnoreCase));
        return (new SortedSet<string>(names.Except(noDecay), StringComparer.Ordinal), new SortedSet<string>(noDecay, StringComparer.Ordinal));
    }

    private static SortedSet<string> NamesOf(FusedAdamW optimizer, int group) =>
        new(optimizer.Slots.Where(s => s.Group == group).Select(s => s.Name), StringComparer.Ordinal);

    private static void AssertHfGrouping(string dir, int layers)
    {
        using var model = CheckpointLoader.Load(dir, ModelTestData.TinyLabels);
        using var optimizer = TrainingSteps.CreateOptimizer(model, new TrainingOptions { WeightDecay = 0.01 });
        Assert.Equal([0.01, 0.0], optimizer.Groups.Select(g => g.WeightDecay));
        var (decay, noDecay) = HfGroups(model);
        Assert.Equal(decay, NamesOf(optimizer, 0));
        Assert.Equal(noDecay, NamesOf(optimizer, 1));

        // The names are the checkpoint's own (HF state-dict names), and the split is the documented one.
        var stored = WeightFile.Read(Path.Combine(dir, "model.safetensors"));
        try
        {
            Assert.Subset(stored.Keys.ToHashSet(), decay.Union(noDecay).Where(n => !n.StartsWith("classifier.", StringComparison.Ordinal)).ToHashSet());
        }
        finally
        {
            foreach (var t in stored.Values) t.Dispose();
        }
        string prefix = model.Config.ModelType == "roberta" ? "roberta" : "bert";
        Assert.Contains($"{prefix}.embeddings.word_embeddings.weight", decay);
        Assert.Contains($"{prefix}.encoder.layer.0.attention.self.query.weight", decay);
        Assert.Contains("classifier.weight", decay);
        Assert.Contains($"{prefix}.embeddings.LayerNorm.weight", noDecay);
        Assert.Contains($"{prefix}.encoder.layer.0.attention.output.LayerNorm.weight", noDecay);
        Assert.Contains($"{prefix}.encoder.layer.0.intermediate.dense.bias", noDecay);
        Assert.Contains("classifier.bias", noDecay);
        // Per layer: 6 biases (q, k, v, attention output, intermediate, output) + 2 LayerNorms x (weight, bias);
        // embeddings: 1 LayerNorm x 2; head: 1 bias.
        Assert.Equal(layers * (6 + 4) + 2 + 1 + (noDecay.Contains($"{prefix}.pooler.dense.bias") ? 1 : 0), noDecay.Count);
    }

    [Fact]
    public void CreateOptimizer_RobertaTinyCheckpoint_GroupsAsHfTrainer() =>
        AssertHfGrouping(ModelTestData.TinyDir, ModelConfig.Load(Path.Combine(ModelTestData.TinyDir, "config.json")).NumHiddenLayers);

    [Fact]
    [Trait("Category", Category.Slow)]
    public void CreateOptimizer_MiniLmCheckpoint_GroupsAsHfTrainer()
    {
        using var minilm = new BioNer.Tests.Onnx.ImportedMiniLm();
        AssertHfGrouping(minilm.Dir, layers: 6);
    }
}
