using BioNer.Checkpoints;
using BioNer.Modeling;
using BioNer.Tests.Modeling;
using BioNer.Tokenization;
using BioNer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace BioNer.Tests.Training;

/// <summary>
/// The fused optimizer against its oracle, TorchSharp's AdamW after libtorch's clip_grad_norm_ (the path BioNer trained
/// with before): same weights, same batches, 50 steps of a decaying learning rate with weight decay and clipping.
/// </summary>
public class FusedAdamWTests(ITestOutputHelper output)
{
    /// <summary>Random labelled batches over a vocabulary: B = 4, lengths 5..24, labels in [0, L), CLS/SEP ignored.</summary>
    private static List<EncodedBatch> Batches(int vocab, int labels, int count, int seed)
    {
        var rng = new Random(seed);
        var result = new List<EncodedBatch>();
        for (int b = 0; b < count; b++)
        {
            var seqs = new List<EncodedSequence>();
            for (int s = 0; s < 4; s++)
            {
                int len = rng.Next(5, 25);
                var ids = Enumerable.Range(0, len).Select(i => i == 0 ? 0 : i == len - 1 ? 2 : rng.Next(5, vocab)).ToArray();
                var words = Enumerable.Range(0, len).Select(i => i == 0 || i == len - 1 ? -1 : i - 1).ToArray();
                var y = Enumerable.Range(0, len).Select(i => i == 0 || i == len - 1 ? -100 : rng.Next(labels)).ToArray();
                seqs.Add(new EncodedSequence(ids, words, y, s, 0, len - 2));
            }
            result.Add(Collator.Pad(seqs, padId: 1));
        }
        return result;
    }

    /// <summary>
    /// Trains two copies of the model for <paramref name="steps"/> steps, one per optimizer, and returns the largest
    /// relative difference ‖fused − oracle‖₂ / ‖oracle‖₂ over the parameter tensors (the largest single element's
    /// difference, relative to the tensor's largest value, is printed too: it is larger in the embedding tables, where a
    /// rarely seen token's gradient is below ε and Adam multiplies its rounding by lr/ε). Eval mode (no dropout), so the two forwards differ only
    /// by what the optimizers did. After the first step the gradients differ by rounding, and one parameter then
    /// diverges by more than rounding whatever the optimizer: the attention key bias, whose gradient is zero in exact
    /// arithmetic (softmax ignores a shift shared by all keys), so Adam normalises pure rounding noise into full-size
    /// steps. It is compared only after one step, when both runs still see bit-identical gradients.
    /// </summary>
    private double MaxRelativeDifference(Func<TokenClassifier> load, int steps, double maxGradNorm, double weightDecay, double peakLr = 1e-3, int warmup = 5)
    {
        using var fusedModel = load();
        using var oracleModel = load();
        fusedModel.eval();
        oracleModel.eval();
        var options = new TrainingOptions { WeightDecay = weightDecay };
        using var fused = TrainingSteps.CreateOptimizer(fusedModel, options);
        using var oracle = TorchSharpAdamW.Create(oracleModel, options);
        var schedule = new LinearSchedule(peakLr, warmup, steps);
        var batches = Batches(fusedModel.Config.VocabSize, fusedModel.Config.Labels.Count, 10, seed: 5);
        for (int s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            double lr = schedule.LearningRateAt(s);
            TrainingSteps.ForwardBackward(fusedModel, batches[s % batches.Count]);
            TrainingSteps.ForwardBackward(oracleModel, batches[s % batches.Count]);
            TrainingSteps.ApplyGradients(fused, maxGradNorm, lr);
            TorchSharpAdamW.Apply(oracleModel, oracle, maxGradNorm, lr);
        }
        Assert.Equal(steps, fused.StepCount);
        double worst = 0, worstElement = 0;
        string worstName = "", worstElementName = "";
        var byName = oracleModel.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in fusedModel.named_parameters())
        {
            if (steps > 1 && name.EndsWith(".attention.self.key.bias", StringComparison.Ordinal)) continue;
            using var scope = NewDisposeScope();
            var reference = byName[name];
            var delta = p - reference;
            double diff = delta.norm().item<float>() / Math.Max(reference.norm().item<float>(), 1e-12);
            double element = delta.abs().max().item<float>() / Math.Max(reference.abs().max().item<float>(), 1e-12);
            if (diff > worst) (worst, worstName) = (diff, name);
            if (element > worstElement) (worstElement, worstElementName) = (element, name);
        }
        output.WriteLine($"{steps} steps, peak lr {peakLr}, clip {maxGradNorm}, wd {weightDecay}: relative L2 difference {worst:E2} ({worstName}), largest element {worstElement:E2} ({worstElementName})");
        return worst;
    }

    [Theory]
    [InlineData(1, 1.0, 0.01, 0)]
    [InlineData(50, 1.0, 0.01, 5)]
    [InlineData(50, 0.0, 0.0, 0)]
    public void Step_OnTheFixture_EqualsTorchSharpAdamWTo1e6(int steps, double maxGradNorm, double weightDecay, int warmup)
    {
        double worst = MaxRelativeDifference(() => CheckpointLoader.Load(ModelTestData.TinyDir, ModelTestData.TinyLabels),
            steps, maxGradNorm, weightDecay, warmup: warmup);
        Assert.InRange(worst, 0, 1e-6);
    }

    /// <summary>
    /// MiniLM at the recipe's learning rate. Without clipping the two agree to 1e-6; with clipping active on every step
    /// (MiniLM's gradient norm here is 1.3–2.3) to 1e-5, because the oracle's clip norm is itself off: libtorch's fp32
    /// norm of per-parameter norms differs from the fp64 value by ~4e-6 relative (2.0271049 against 2.0271132 on the
    /// first batch), the fused optimizer's fp64 sum does not, and Adam's moments mix steps clipped by those factors.
    /// </summary>
    [Theory]
    [Trait("Category", Category.Slow)]
    [InlineData(0.0, 1e-6)]
    [InlineData(1.0, 1e-5)]
    public void Step_50StepsOnMiniLm_EqualsTorchSharpAdamW(double maxGradNorm, double tolerance)
    {
        using var minilm = new BioNer.Tests.Onnx.ImportedMiniLm();
        double worst = MaxRelativeDifference(() => CheckpointLoader.Load(minilm.Dir, ModelTestData.TinyLabels), 50, maxGradNorm, 0.01, peakLr: 3e-5);
        Assert.InRange(worst, 0, tolerance);
    }

    [Fact]
    public void Step_ReturnsTheGradientNormInFp64AndClipsToIt()
    {
        using var model = CheckpointLoader.Load(ModelTestData.TinyDir, ModelTestData.TinyLabels);
        model.eval();
        using var optimizer = TrainingSteps.CreateOptimizer(model, new TrainingOptions());
        TrainingSteps.ForwardBackward(model, Batches(model.Config.VocabSize, model.Config.Labels.Count, 1, seed: 3)[0]);
        double expected = Math.Sqrt(model.parameters().Sum(p =>
        {
            using var g = p.grad!.to(ScalarType.Float64);
            using var sq = g.square().sum();
            return sq.item<double>();
        }));
        double norm = TrainingSteps.ApplyGradients(optimizer, maxGradNorm: 1.0, learningRate: 1e-3);
        Assert.Equal(expected, norm, expected * 1e-12);
    }

    [Fact]
    public void Construct_ParametersBecomeViewsOfOneBufferWithGradientsAccumulatingThere()
    {
        using var model = CheckpointLoader.Load(ModelTestData.TinyDir, ModelTestData.TinyLabels);
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var optimizer = TrainingSteps.CreateOptimizer(model, new TrainingOptions());
        Assert.Equal(model.named_parameters().Count(), optimizer.Slots.Count);
        Assert.Equal(model.named_parameters().Sum(p => p.parameter.numel()), optimizer.Count);
        foreach (var (name, p) in model.named_parameters())
        {
            Assert.True(p.requires_grad, name);
            Assert.True(p.allclose(before[name], rtol: 0, atol: 0), $"{name} changed when moved into the buffer");
        }

        // Two backward passes accumulate into the same gradient views; a step zeroes them and keeps them linked.
        var batch = Batches(model.Config.VocabSize, model.Config.Labels.Count, 1, seed: 1)[0];
        TrainingSteps.ForwardBackward(model, batch);
        using var first = model.Classifier.weight!.grad!.clone();
        TrainingSteps.ForwardBackward(model, batch);
        using (var twice = model.Classifier.weight!.grad!)
            Assert.True((twice - 2 * first).abs().max().item<float>() < 1e-5f);
        double norm = TrainingSteps.ApplyGradients(optimizer, 1.0, 1e-3);
        Assert.True(norm > 0);
        Assert.All(model.parameters(), p => Assert.Equal(0f, p.grad!.abs().sum().item<float>()));
        TrainingSteps.ForwardBackward(model, batch);
        using (var again = model.Classifier.weight!.grad!) Assert.True(again.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Groups_DecayFirstThenBiasesAndLayerNorms()
    {
        using var model = CheckpointLoader.Load(ModelTestData.TinyDir, ModelTestData.TinyLabels);
        using var optimizer = TrainingSteps.CreateOptimizer(model, new TrainingOptions { WeightDecay = 0.01 });
        Assert.Equal([0.01, 0.0], optimizer.Groups.Select(g => g.WeightDecay));
        Assert.Equal(optimizer.Count, optimizer.Groups.Sum(g => g.Length));
        Assert.All(optimizer.Slots, s => Assert.Equal(TrainingSteps.NoWeightDecay(s.Name) ? 1 : 0, s.Group));
        long offset = 0;
        foreach (var s in optimizer.Slots)
        {
            Assert.Equal(offset, s.Offset);
            offset += s.Shape.Aggregate(1L, (a, b) => a * b);
        }
    }

    [Fact]
    public void SaveState_ThenLoadIntoAFreshCopy_ContinuesBitIdentically()
    {
        using var tmp = new TempDir();
        var batches = Batches(500, ModelTestData.TinyLabels.Length, 6, seed: 2);
        var options = new TrainingOptions { WeightDecay = 0.01 };
        using var a = CheckpointLoader.Load(ModelTestData.TinyDir, ModelTestData.TinyLabels);
        a.eval();
        using var optA = TrainingSteps.CreateOptimizer(a, options);
        void Train(TokenClassifier m, FusedAdamW o, int from, int to)
        {
            for (int s = from; s < to; s++)
            {
                using var scope = NewDisposeScope();
                TrainingSteps.ForwardBackward(m, batches[s]);
                TrainingSteps.ApplyGradients(o, 1.0, 1e-3);
            }
        }
        Train(a, optA, 0, 3);
        string dir = tmp.File("ckpt");
        CheckpointWriter.Save(a, Path.Combine(dir, "model"));
        optA.SaveState(dir);
        Train(a, optA, 3, 6);

        using var b = CheckpointLoader.Load(Path.Combine(dir, "model"), ModelTestData.TinyLabels);
        b.eval();
        using var optB = TrainingSteps.CreateOptimizer(b, options);
        optB.LoadState(dir);
        Assert.Equal(3, optB.StepCount);
        Train(b, optB, 3, 6);
        var wb = b.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in a.named_parameters())
            Assert.True(p.allclose(wb[name], rtol: 0, atol: 0), $"{name} differs after resume");
    }

    [Fact]
    public void LoadState_OtherLayoutOrOldFormat_RefusedNamingTheFile()
    {
        using var tmp = new TempDir();
        using var tiny = CheckpointLoader.Load(ModelTestData.TinyDir, ModelTestData.TinyLabels);
        using var opt = TrainingSteps.CreateOptimizer(tiny, new TrainingOptions());
        string dir = tmp.File("ckpt");
        Directory.CreateDirectory(dir);
        opt.SaveState(dir);

        using var other = CheckpointLoader.Load(ModelTestData.TinyDir, ["O", "B-Cell", "I-Cell"]);
        using var otherOpt = TrainingSteps.CreateOptimizer(other, new TrainingOptions());
        var e = Assert.Throws<BioNerException>(() => otherOpt.LoadState(dir));
        Assert.Contains("another parameter layout", e.Message);
        Assert.Contains("classifier.weight", e.Message);
        Assert.Contains(FusedAdamW.LayoutFile, e.ToString());

        string old = tmp.File("old");
        Directory.CreateDirectory(old);
        File.WriteAllBytes(Path.Combine(old, "optimizer.bin"), [1, 2, 3]);
        e = Assert.Throws<BioNerException>(() => opt.LoadState(old));
        Assert.Contains("before the fused optimizer", e.Message);

        File.WriteAllText(Path.Combine(dir, FusedAdamW.LayoutFile), "{ not json");
        e = Assert.Throws<BioNerException>(() => opt.LoadState(dir));
        Assert.Contains("corrupt optimizer layout", e.Message);
    }
}
