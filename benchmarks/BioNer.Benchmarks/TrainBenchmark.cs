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
/// Each row is measured for the fused optimizer (the trainer's) and for TorchSharp's AdamW (the path before it), R times.
/// Both models read the corpus through MiniLM's WordPiece tokenizer (no roberta-base tokenizer is available offline),
/// so the roberta-base-sized figures use the same sequence lengths.
/// </summary>
public static class TrainBenchmark
{
    private sealed record Mode(string Name, bool Grouped, int PadTo);

    private static readonly Mode[] Modes = [new("length-grouped", true, 1), new("random", false, 1), new("pad to 128", false, 128)];

    /// <summary>Runs the verb: <c>--iters N</c> (timed MiniLM steps per batching, default 8; roberta-base-sized gets
    /// N/4, at least 2), <c>--repeats R</c> (default 3: every row is measured R times, the optimizers interleaved),
    /// <c>--optimizers fused,torchsharp[,fused-bf16]</c>, <c>--batchings all|grouped</c>, <c>--quick</c>, <c>--threads N</c>,
    /// <c>--train FILE</c>, <c>--peak GFLOPS</c>, <c>--models minilm,roberta</c>.</summary>
    public static int Run(string[] args)
    {
        bool quick = Timing.Flag(args, "--quick");
        int steps = Timing.IntOption(args, "--iters", quick ? 4 : 8);
        int repeats = Timing.IntOption(args, "--repeats", quick ? 1 : 3);
        int threads = Timing.IntOption(args, "--threads", 0);
        if (threads > 0) torch.set_num_threads(threads);
        string models = Timing.StringOption(args, "--models", "minilm,roberta")!;
        var optimizers = Timing.StringOption(args, "--optimizers", "fused,torchsharp")!.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var modes = Timing.StringOption(args, "--batchings", "all") == "grouped" ? Modes[..1] : Modes;
        string file = Timing.StringOption(args, "--train", null) ?? Repo.Locate("samples/craft-sample/train.conll");
        double peak = MatmulBenchmark.PeakFor(args);

        var corpus = CorpusIO.Read(file);
        var labels = TrainingData.BuildLabels(null, [corpus]);
        string dir = Checkpoints.ModelResolver.Resolve("minilm");
        var data = TrainingData.Encode(corpus, HfTokenizer.Load(dir), labels, 128, false);
        var lengths = data.Sequences.Select(s => s.Length).ToArray();
        Console.WriteLine($"cpu: {BioNer.Native.CpuFeatures.Describe()}");
        Console.WriteLine($"train: {file}: {data.Sequences.Count} windows, {data.TokenCount} sub-tokens (mean {lengths.Average():F1}, " +
                          $"max {lengths.Max()}), {labels.Count} labels; batch 8; {torch.get_num_threads()} torch threads; " +
                          $"fp32 matmul peak {peak:F0} GFLOP/s; {repeats} repeats; load average {Timing.LoadAverage()}");
        PrintEpochPadding(lengths);

        var table = new MarkdownTable("model", "optimizer", "batching", "steps × runs", "real tok/s (median)", "min–max",
            "fwd+bwd ms/step", "optim ms/step", "optim share", "real tok/CPU-s", "GFLOP/s", "% of peak", "× torchsharp");
        var summary = new List<string>();
        if (models.Contains("minilm", StringComparison.Ordinal))
            summary.Add(MeasureModel("minilm", () => BenchModels.MiniLm(labels), optimizers, modes, data, steps, repeats, peak, table));
        if (models.Contains("roberta", StringComparison.Ordinal))
            summary.Add(MeasureModel("roberta-base-sized", () => BenchModels.RobertaBaseSized(labels), optimizers, modes, data,
                Math.Max(2, steps / 4), repeats, peak, table));
        table.Print();
        Console.WriteLine($"summary: training real tokens/s (median) {string.Join("; ", summary)}; load average {Timing.LoadAverage()}");
        return 0;
    }

    /// <summary>
    /// One model copy per optimizer (the fused one moves its copy's weights into its buffers); for each of
    /// <paramref name="repeats"/> rounds, every optimizer runs every batching in turn, so load drifts hit all rows alike.
    /// </summary>
    private static string MeasureModel(string name, Func<TokenClassifier> load, string[] optimizers, Mode[] modes, EncodedCorpus data,
        int steps, int repeats, double peak, MarkdownTable table)
    {
        var runs = optimizers.Select(o => (Name: o, Model: load())).Select(x => (x.Name, x.Model, Opt: BenchOptimizer.Create(x.Name, x.Model))).ToList();
        var results = new Dictionary<(string, string), List<ModeResult>>();
        try
        {
            foreach (var r in runs) r.Model.train();
            for (int rep = 0; rep < repeats; rep++)
                foreach (var r in runs)
                    foreach (var mode in modes)
                    {
                        var key = (r.Name, mode.Name);
                        if (!results.TryGetValue(key, out var list)) results[key] = list = [];
                        list.Add(MeasureMode(r.Model, r.Opt, data, mode, steps, warmup: rep == 0 && mode == modes[0]));
                    }
            var parts = new List<string>();
            foreach (var r in runs)
                foreach (var mode in modes)
                {
                    var list = results[(r.Name, mode.Name)];
                    var tps = list.Select(x => x.Real / x.Seconds).ToList();
                    var mid = list.OrderBy(x => x.Real / x.Seconds).ElementAt(list.Count / 2);
                    double gflops = mid.Flops / mid.Seconds / 1e9;
                    string ratio = results.TryGetValue(("torchsharp", mode.Name), out var baseList)
                        ? (Timing.Median(tps) / Timing.Median(baseList.Select(x => x.Real / x.Seconds))).ToString("F2") : "";
                    table.Add(name, r.Name, mode.Name, $"{steps} × {list.Count}", Timing.Median(tps).ToString("F0"),
                        $"{tps.Min():F0}–{tps.Max():F0}", (1000 * mid.FwdBwdSeconds / steps).ToString("F0"),
                        (1000 * mid.OptimSeconds / steps).ToString("F0"), $"{100 * mid.OptimSeconds / mid.Seconds:F0}%",
                        (mid.Real / mid.CpuSeconds).ToString("F0"), gflops.ToString("F1"), (100 * gflops / peak).ToString("F0"), ratio);
                    parts.Add($"{r.Name} {mode.Name} {Timing.Median(tps):F0}");
                }
            foreach (var r in runs) OptimizerBreakdown(name, r.Model, r.Opt, data);
            return $"{name}: {string.Join(", ", parts)}";
        }
        finally
        {
            foreach (var r in runs)
            {
                r.Opt.Dispose();
                r.Model.Dispose();
            }
        }
    }

    /// <summary>Work and time of a run of steps: real and padded tokens, FLOPs (3 × forward), fwd+bwd and optimizer seconds, CPU seconds.</summary>
    internal sealed record ModeResult(long Real, long Padded, double Flops, double FwdBwdSeconds, double OptimSeconds, double CpuSeconds)
    {
        /// <summary>Wall seconds of the whole steps (forward + backward + optimizer).</summary>
        public double Seconds => FwdBwdSeconds + OptimSeconds;
    }

    private static ModeResult MeasureMode(TokenClassifier model, BenchOptimizer optimizer, EncodedCorpus data, Mode mode, int steps, bool warmup)
    {
        var lengths = data.Sequences.Select(s => s.Length).ToArray();
        return MeasureSteps(model, optimizer, data, Batches(lengths, mode.Grouped), steps, mode.PadTo, warmup);
    }

    /// <summary>
    /// Times <paramref name="steps"/> trainer steps over <paramref name="batches"/> (cycled), after one untimed warm-up
    /// step on the last batch when <paramref name="warmup"/> (allocator, AdamW state: once per model).
    /// </summary>
    internal static ModeResult MeasureSteps(TokenClassifier model, BenchOptimizer optimizer, EncodedCorpus data,
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
    internal static (EncodedBatch Batch, double FwdBwd, double Optim) Step(TokenClassifier model, BenchOptimizer optimizer,
        EncodedCorpus data, int[] indices, int padTo)
    {
        using var scope = torch.NewDisposeScope();
        var watch = Stopwatch.StartNew();
        var batch = Collator.Pad(indices.Select(i => data.Sequences[i]).ToList(), model.Config.PadTokenId, padTo);
        TrainingSteps.ForwardBackward(model, batch);
        double fwdBwd = watch.Elapsed.TotalSeconds;
        optimizer.Apply(1.0, 3e-5);
        return (batch, fwdBwd, watch.Elapsed.TotalSeconds - fwdBwd);
    }

    /// <summary>Where the optimizer time goes (median of 3 steps): for TorchSharp's path clipping, the AdamW update and
    /// zeroing; for the fused one the norm reduction and the single update pass.</summary>
    private static void OptimizerBreakdown(string name, TokenClassifier model, BenchOptimizer optimizer, EncodedCorpus data)
    {
        var parts = new Dictionary<string, List<double>>();
        for (int s = 0; s < 3; s++)
        {
            using var scope = torch.NewDisposeScope();
            var batch = Collator.Pad(data.Sequences.Take(8).ToList(), model.Config.PadTokenId);
            TrainingSteps.ForwardBackward(model, batch);
            foreach (var (part, ms) in optimizer.TimedApply(1.0, 3e-5))
            {
                if (!parts.TryGetValue(part, out var list)) parts[part] = list = [];
                list.Add(ms);
            }
        }
        Console.WriteLine($"{name} {optimizer.Name} optimizer step ({model.ParameterCount / 1e6:F1} M parameters, median of 3): " +
                          string.Join(", ", parts.Select(p => $"{p.Key} {Timing.Median(p.Value):F1} ms")));
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
