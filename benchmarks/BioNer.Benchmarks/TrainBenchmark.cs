using System.Diagnostics;
using BioNer.Data;
using BioNer.Modeling;
using BioNer.Tokenization;
using BioNer.Training;
using TorchSharp;

namespace BioNer.Benchmarks;

/// <summary>
/// Training throughput (forward + backward + clip + AdamW) on the sample corpus, through the trainer's own step code
/// (<see cref="TrainingSteps"/>, <see cref="Collator"/>, <see cref="LengthGroupedSampler"/>), for three batchings:
/// length-grouped with dynamic padding (the default), random with dynamic padding, and random padded to 128.
/// Both models read the corpus through MiniLM's WordPiece tokenizer (no roberta-base tokenizer is available offline),
/// so the roberta-base-sized figures use the same sequence lengths.
/// </summary>
public static class TrainBenchmark
{
    private sealed record Mode(string Name, bool Grouped, int PadTo);

    private static readonly Mode[] Modes = [new("length-grouped", true, 1), new("random", false, 1), new("pad to 128", false, 128)];

    /// <summary>Runs the verb: <c>--iters N</c> (timed MiniLM steps per batching, default 8; roberta-base-sized gets
    /// N/4, at least 2), <c>--quick</c>, <c>--threads N</c>, <c>--train FILE</c>, <c>--peak GFLOPS</c>, <c>--models minilm,roberta</c>.</summary>
    public static int Run(string[] args)
    {
        bool quick = Timing.Flag(args, "--quick");
        int steps = Timing.IntOption(args, "--iters", quick ? 4 : 8);
        int threads = Timing.IntOption(args, "--threads", 0);
        if (threads > 0) torch.set_num_threads(threads);
        string models = Timing.StringOption(args, "--models", "minilm,roberta")!;
        string file = Timing.StringOption(args, "--train", null) ?? Repo.Locate("samples/craft-sample/train.conll");
        double peak = MatmulBenchmark.PeakFor(args);

        var corpus = CorpusIO.Read(file);
        var labels = TrainingData.BuildLabels(null, [corpus]);
        string dir = Checkpoints.ModelResolver.Resolve("minilm");
        var data = TrainingData.Encode(corpus, HfTokenizer.Load(dir), labels, 128, false);
        var lengths = data.Sequences.Select(s => s.Length).ToArray();
        Console.WriteLine($"train: {file}: {data.Sequences.Count} windows, {data.TokenCount} sub-tokens (mean {lengths.Average():F1}, " +
                          $"max {lengths.Max()}), {labels.Count} labels; batch 8; {torch.get_num_threads()} torch threads; " +
                          $"fp32 matmul peak {peak:F0} GFLOP/s; load average {Timing.LoadAverage()}");
        PrintEpochPadding(lengths);

        var table = new MarkdownTable("model", "batching", "steps", "real tok/s", "padded tok/s", "pad share",
            "fwd+bwd ms/step", "optim ms/step", "real tok/CPU-s", "GFLOP/s", "% of peak");
        var summary = new List<string>();
        if (models.Contains("minilm", StringComparison.Ordinal))
            using (var m = BenchModels.MiniLm(labels)) summary.Add(MeasureModel("minilm", m, data, steps, peak, table));
        if (models.Contains("roberta", StringComparison.Ordinal))
            using (var m = BenchModels.RobertaBaseSized(labels)) summary.Add(MeasureModel("roberta-base-sized", m, data, Math.Max(2, steps / 4), peak, table));
        table.Print();
        Console.WriteLine($"summary: training real tokens/s {string.Join("; ", summary)}; load average {Timing.LoadAverage()}");
        return 0;
    }

    private static string MeasureModel(string name, TokenClassifier model, EncodedCorpus data, int steps, double peak, MarkdownTable table)
    {
        model.train();
        using var optimizer = TrainingSteps.CreateOptimizer(model, new TrainingOptions());
        var parts = new List<string>();
        foreach (var mode in Modes)
        {
            var r = MeasureMode(model, optimizer, data, mode, steps, warmup: mode == Modes[0]);
            double seconds = r.Seconds;
            double gflops = r.Flops / seconds / 1e9;
            table.Add(name, mode.Name, steps, (r.Real / seconds).ToString("F0"), (r.Padded / seconds).ToString("F0"),
                      $"{100.0 * (r.Padded - r.Real) / r.Padded:F0}%", (1000 * r.FwdBwdSeconds / steps).ToString("F0"),
                      (1000 * r.OptimSeconds / steps).ToString("F0"), (r.Real / r.CpuSeconds).ToString("F0"),
                      gflops.ToString("F1"), (100 * gflops / peak).ToString("F0"));
            parts.Add($"{mode.Name} {r.Real / seconds:F0}");
        }
        OptimizerBreakdown(name, model, optimizer, data);
        return $"{name}: {string.Join(", ", parts)}";
    }

    /// <summary>Work and time of a run of steps: real and padded tokens, FLOPs (3 × forward), fwd+bwd and optimizer seconds, CPU seconds.</summary>
    internal sealed record ModeResult(long Real, long Padded, double Flops, double FwdBwdSeconds, double OptimSeconds, double CpuSeconds)
    {
        /// <summary>Wall seconds of the whole steps (forward + backward + optimizer).</summary>
        public double Seconds => FwdBwdSeconds + OptimSeconds;
    }

    private static ModeResult MeasureMode(TokenClassifier model, TorchSharp.Modules.AdamW optimizer, EncodedCorpus data, Mode mode, int steps, bool warmup)
    {
        var lengths = data.Sequences.Select(s => s.Length).ToArray();
        return MeasureSteps(model, optimizer, data, Batches(lengths, mode.Grouped), steps, mode.PadTo, warmup);
    }

    /// <summary>
    /// Times <paramref name="steps"/> trainer steps over <paramref name="batches"/> (cycled), after one untimed warm-up
    /// step on the last batch when <paramref name="warmup"/> (allocator, AdamW state: once per model).
    /// </summary>
    internal static ModeResult MeasureSteps(TokenClassifier model, TorchSharp.Modules.AdamW optimizer, EncodedCorpus data,
        IReadOnlyList<int[]> batches, int steps, int padTo, bool warmup)
    {
        if (warmup) Step(model, optimizer, data, batches[^1], padTo);
        long real = 0, padded = 0;
        double flops = 0, fwdBwd = 0, optim = 0;
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuStart = process.TotalProcessorTime;
        for (int s = 0; s < steps; s++)
        {
            var (batch, f, o) = Step(model, optimizer, data, batches[s % batches.Count], padTo);
            real += batch.RealTokens;
            padded += (long)batch.BatchSize * batch.SeqLen;
            flops += 3 * BenchModels.ForwardFlopsPerToken(model.Config, batch.SeqLen) * batch.BatchSize * batch.SeqLen;
            fwdBwd += f;
            optim += o;
        }
        process.Refresh();
        return new ModeResult(real, padded, flops, fwdBwd, optim, (process.TotalProcessorTime - cpuStart).TotalSeconds);
    }

    /// <summary>One FineTuner step: collate, forward + backward, clip + AdamW; returns the batch and the two timings in seconds.</summary>
    internal static (EncodedBatch Batch, double FwdBwd, double Optim) Step(TokenClassifier model, TorchSharp.Modules.AdamW optimizer,
        EncodedCorpus data, int[] indices, int padTo)
    {
        using var scope = torch.NewDisposeScope();
        var watch = Stopwatch.StartNew();
        var batch = Collator.Pad(indices.Select(i => data.Sequences[i]).ToList(), model.Config.PadTokenId, padTo);
        TrainingSteps.ForwardBackward(model, batch);
        double fwdBwd = watch.Elapsed.TotalSeconds;
        TrainingSteps.ApplyGradients(model, optimizer, 1.0, 3e-5);
        return (batch, fwdBwd, watch.Elapsed.TotalSeconds - fwdBwd);
    }

    /// <summary>Where the optimizer time goes (median of 3 steps): gradient clipping, the AdamW update, zeroing gradients.</summary>
    private static void OptimizerBreakdown(string name, TokenClassifier model, TorchSharp.Modules.AdamW optimizer, EncodedCorpus data)
    {
        var clip = new List<double>();
        var adam = new List<double>();
        var zero = new List<double>();
        for (int s = 0; s < 3; s++)
        {
            using var scope = torch.NewDisposeScope();
            var batch = Collator.Pad(data.Sequences.Take(8).ToList(), model.Config.PadTokenId);
            TrainingSteps.ForwardBackward(model, batch);
            var watch = Stopwatch.StartNew();
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0, 2.0);
            clip.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            optimizer.step();
            adam.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            optimizer.zero_grad();
            zero.Add(watch.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"{name} optimizer step ({model.ParameterCount / 1e6:F1} M parameters, median of 3): clip_grad_norm_ " +
                          $"{Timing.Median(clip):F0} ms, AdamW.step {Timing.Median(adam):F0} ms, zero_grad {Timing.Median(zero):F0} ms");
    }

    private static IReadOnlyList<int[]> Batches(int[] lengths, bool grouped)
    {
        var rng = new Random(42);
        return grouped ? LengthGroupedSampler.Batches(lengths, 8, rng) : LengthGroupedSampler.RandomBatches(lengths.Length, 8, rng);
    }

    /// <summary>Padded positions of one whole epoch per batching: the waste the grouping removes, independent of the model.</summary>
    private static void PrintEpochPadding(int[] lengths)
    {
        long real = lengths.Sum(l => (long)l);
        var table = new MarkdownTable("batching (one epoch, batch 8)", "computed positions", "padding positions", "pad share");
        foreach (var mode in Modes)
        {
            var batches = Batches(lengths, mode.Grouped);
            long pad = mode.PadTo > 1
                ? batches.Sum(b => (long)b.Length * mode.PadTo) - real
                : LengthGroupedSampler.PaddingTokens(lengths, batches);
            table.Add(mode.Name, real + pad, pad, $"{100.0 * pad / (real + pad):F1}%");
        }
        table.Print();
    }
}
