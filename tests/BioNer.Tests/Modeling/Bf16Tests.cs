using BioNer.Checkpoints;
using BioNer.Data;
using BioNer.Modeling;
using BioNer.Native;
using BioNer.Tokenization;
using BioNer.Training;
using static TorchSharp.torch;

namespace BioNer.Tests.Modeling;

/// <summary>
/// bf16 mixed precision by hand (<see cref="TokenClassifier.ComputeInBf16"/>): logits against fp32 within bf16's
/// rounding, fp32 weights and gradients, and the refusal on CPUs without bf16 hardware. The numerics run on any CPU
/// (libtorch emulates bf16 where the hardware lacks it: slow, but exact to bf16 rounding).
/// </summary>
public class Bf16Tests(ITestOutputHelper output)
{
    /// <summary>Largest |bf16 − fp32| logit relative to the fp32 logits' range, and the share of equal argmax labels.</summary>
    private (double Relative, double Agreement) Compare(TokenClassifier model, Tensor ids, Tensor mask, string what)
    {
        model.eval();
        float[] fp32 = ModelTestData.Logits(model, ids, mask);
        model.ComputeInBf16 = true;
        float[] bf16 = ModelTestData.Logits(model, ids, mask);
        model.ComputeInBf16 = false;
        double range = fp32.Max() - fp32.Min();
        double relative = ModelTestData.MaxAbsDiff(fp32, bf16) / range;
        int labels = model.Config.NumLabels, same = 0, total = 0;
        var m = mask.data<long>().ToArray();
        for (int pos = 0; pos < fp32.Length / labels; pos++)
        {
            if (m[pos] == 0) continue;
            int a = ArgMax(fp32, pos * labels, labels), b = ArgMax(bf16, pos * labels, labels);
            total++;
            if (a == b) same++;
        }
        output.WriteLine($"{what}: max |bf16 − fp32| / logit range {relative:E2}, argmax agreement {same}/{total}");
        return (relative, (double)same / total);
    }

    private static int ArgMax(float[] x, int start, int n)
    {
        int best = 0;
        for (int i = 1; i < n; i++) if (x[start + i] > x[start + best]) best = i;
        return best;
    }

    /// <summary>The roberta-tiny fixture and its golden batch (ids, mask: (B, T) int64).</summary>
    private static (TokenClassifier Model, Tensor Ids, Tensor Mask) Fixture() =>
        (CheckpointLoader.Load(ModelTestData.TinyDir, ModelTestData.TinyLabels), ModelTestData.Outputs.IdsTensor(), ModelTestData.Outputs.MaskTensor());

    [Fact]
    public void Bf16_FixtureLogits_WithinBf16RoundingOfFp32()
    {
        var (model, ids, mask) = Fixture();
        using var _ = model;
        using var __ = ids;
        using var ___ = mask;
        var (relative, agreement) = Compare(model, ids, mask, "roberta-tiny");
        Assert.InRange(relative, 1e-5, 0.03);        // above 0: bf16 really ran; below 3% of the range
        Assert.True(agreement >= 0.9, $"argmax agreement {agreement:P1}");
    }

    [Fact]
    [Trait("Category", Category.Slow)]
    public void Bf16_MiniLmLogitsOnCraftSentences_WithinBf16RoundingOfFp32()
    {
        using var minilm = new BioNer.Tests.Onnx.ImportedMiniLm();
        var labels = new[] { "O", "B-Protein", "I-Protein", "B-Cell", "I-Cell" };
        using var model = CheckpointLoader.Load(minilm.Dir, labels, seed: 7);
        var corpus = CorpusIO.Read(Path.Combine(TestPaths.RepoRoot, "samples", "craft-sample", "dev.conll"));
        var encoded = TrainingData.Encode(new Corpus(corpus.Sentences.Take(16).ToList()), HfTokenizer.Load(minilm.Dir),
            [.. corpus.Sentences.SelectMany(s => s.Labels).Distinct().Order()], 128, false);
        var batch = Collator.Pad(encoded.Sequences, padId: 0);
        using var ids = tensor(batch.InputIds, [batch.BatchSize, batch.SeqLen], ScalarType.Int64);
        using var mask = tensor(batch.AttentionMask, [batch.BatchSize, batch.SeqLen], ScalarType.Int64);
        var (relative, agreement) = Compare(model, ids, mask, "minilm, 16 CRAFT sentences");
        Assert.InRange(relative, 1e-5, 0.05);
        Assert.True(agreement >= 0.97, $"argmax agreement {agreement:P1}");
    }

    [Fact]
    public void Bf16_TrainingStep_Fp32WeightsAndGradientsAndALossNearFp32()
    {
        using var model = CheckpointLoader.Load(ModelTestData.TinyDir, ModelTestData.TinyLabels);
        model.eval();
        var seqs = new[]
        {
            new EncodedSequence([0, 7, 9, 11, 2], [-1, 0, 1, 2, -1], [-100, 1, 2, 0, -100], 0, 0, 3),
            new EncodedSequence([0, 5, 2], [-1, 0, -1], [-100, 3, -100], 1, 0, 1),
        };
        var batch = Collator.Pad(seqs, padId: 1);
        float fp32;
        using (NewDisposeScope()) fp32 = model.Forward(batch, withLabels: true).Loss!.item<float>();
        model.ComputeInBf16 = true;
        using var optimizer = TrainingSteps.CreateOptimizer(model, new TrainingOptions());
        float bf16 = TrainingSteps.ForwardBackward(model, batch);
        output.WriteLine($"loss fp32 {fp32:R}, bf16 {bf16:R}");
        Assert.InRange(Math.Abs(bf16 - fp32), 1e-7, 0.02 * fp32);
        foreach (var (name, p) in model.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, p.dtype);
            Assert.Equal(ScalarType.Float32, p.grad!.dtype);
            Assert.True(p.grad.isfinite().all().item<bool>(), name);
        }
        Assert.True(model.Classifier.weight!.grad!.abs().sum().item<float>() > 0);
        Assert.True(TrainingSteps.ApplyGradients(optimizer, 1.0, 1e-3) > 0);
    }

    [Fact]
    public void Bf16_OffAfterTheForward_TheNextFp32ForwardIsExactlyFp32()
    {
        var (model, ids, mask) = Fixture();
        using var _ = model;
        using var __ = ids;
        using var ___ = mask;
        model.eval();
        float[] before = ModelTestData.Logits(model, ids, mask);
        model.ComputeInBf16 = true;
        ModelTestData.Logits(model, ids, mask);
        model.ComputeInBf16 = false;
        Assert.Equal(before, ModelTestData.Logits(model, ids, mask));
        Assert.False(ModelOps.Bf16);                       // the thread's flag does not outlive a forward
    }

    [Theory]
    [InlineData(true, null, true)]
    [InlineData(false, "force", true)]
    [InlineData(false, "FORCE", true)]
    [InlineData(false, null, false)]
    [InlineData(false, "1", false)]
    public void RequireBf16_ByHardwareAndOverride(bool hardware, string? force, bool allowed)
    {
        void Check() => CpuFeatures.RequireBf16("--bf16", hardware, force, "Test CPU @ 1 GHz");
        if (allowed)
        {
            Check();
            return;
        }
        var e = Assert.Throws<BioNerException>(Check);
        Assert.Contains("--bf16", e.Message);
        Assert.Contains("Test CPU @ 1 GHz", e.Message);
        Assert.Contains("avx512_bf16", e.Message);
        Assert.Contains($"{CpuFeatures.ForceBf16Variable}=force", e.Message);
    }

    [Fact]
    public void CpuFeatures_Describe_NamesTheModelAndTheBf16Verdict()
    {
        string line = CpuFeatures.Describe();
        Assert.Contains(CpuFeatures.Model, line);
        Assert.Contains(CpuFeatures.HasBf16Hardware ? "bf16 hardware: yes" : "bf16 hardware: no", line);
        Assert.Equal(CpuFeatures.HasAmx || CpuFeatures.Has("avx512_bf16"), CpuFeatures.HasBf16Hardware);
    }
}
