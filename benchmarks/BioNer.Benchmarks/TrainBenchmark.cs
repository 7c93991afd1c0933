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
            foreach (var r in runs) PhaseBreakdown(name, r.Name, r.Model, r.Opt, data, peak);
            WordEmbeddingGradient(name, runs[0].Model.Config);
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

    /// <summary>
    /// Where a training step goes, phase by phase (median of 8 length-grouped steps, the table's first batches): collating
    /// the batch, the forward pass with its loss, the backward pass, the optimizer; and the matmul floor, the time the
    /// step's matmul FLOPs (3 × forward) would take at the fp32 peak, which says how far the step is from GEMM-bound.
    /// </summary>
    private static void PhaseBreakdown(string model, string optimizerName, TokenClassifier m, BenchOptimizer optimizer,
        EncodedCorpus data, double peak)
    {
        var batches = Batches(data.Sequences.Select(s => s.Length).ToArray(), grouped: true);
        var collate = new List<double>(); var forward = new List<double>(); var backward = new List<double>(); var optim = new List<double>();
        var floor = new List<double>();
        for (int s = 0; s < 8; s++)
        {
            using var scope = torch.NewDisposeScope();
            var watch = Stopwatch.StartNew();
            var batch = Collator.Pad(batches[s % batches.Count].Select(i => data.Sequences[i]).ToList(), m.Config.PadTokenId);
            double t0 = watch.Elapsed.TotalMilliseconds;
            var loss = m.Forward(batch, withLabels: true).Loss!;
            _ = loss.item<float>();
            double t1 = watch.Elapsed.TotalMilliseconds;
            loss.backward();
            double t2 = watch.Elapsed.TotalMilliseconds;
            optimizer.Apply(1.0, 3e-5);
            double t3 = watch.Elapsed.TotalMilliseconds;
            collate.Add(t0); forward.Add(t1 - t0); backward.Add(t2 - t1); optim.Add(t3 - t2);
            floor.Add(1000 * 3 * BenchModels.ForwardFlopsPerToken(m.Config, batch.SeqLen) * batch.BatchSize * batch.SeqLen / (peak * 1e9));
        }
        double total = collate.Sum() + forward.Sum() + backward.Sum() + optim.Sum();
        string Part(List<double> x) => $"{Timing.Median(x):F1} ms ({100 * x.Sum() / total:F0}%)";
        Console.WriteLine($"{model} {optimizerName} phases (median of 8 grouped steps): collate {Part(collate)}, forward + loss {Part(forward)}, " +
                          $"backward {Part(backward)}, optimizer {Part(optim)}; matmul floor at the fp32 peak {Timing.Median(floor):F1} ms");
    }

    /// <summary>
    /// The word-embedding gradient lever, measured alone: the backward of one (8 × 40)-token lookup into the model's
    /// (V, H) table whose gradient lives in a preassigned buffer (as under the fused optimizer), dense (what libtorch does
    /// for <c>nn.Embedding</c>: a zero-filled (V, H) gradient, index_add, then the whole table added into the buffer)
    /// against sparse (<c>sparse: true</c>: only the looked-up rows are added).
    /// </summary>
    private static void WordEmbeddingGradient(string model, Modeling.ModelConfig c)
    {
        var times = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
        foreach (bool sparse in new[] { false, true })
        {
            using var table = torch.nn.Embedding(c.VocabSize, c.HiddenSize, padding_idx: c.PadTokenId, sparse: sparse);
            using (torch.no_grad()) table.weight!.grad = torch.zeros_like(table.weight);
            using var ids = torch.randint(0, c.VocabSize, [8, 40], dtype: torch.ScalarType.Int64);
            for (int rep = 0; rep < 9; rep++)
            {
                using var scope = torch.NewDisposeScope();
                var watch = Stopwatch.StartNew();
                var output = table.call(ids);
                output.sum().backward();
                if (rep > 0) times[sparse].Add(watch.Elapsed.TotalMilliseconds);
            }
        }
        Console.WriteLine($"{model} word-embedding gradient ({c.VocabSize} × {c.HiddenSize}, 8 × 40 ids, median of 8): dense " +
                          $"{Timing.Median(times[false]):F1} ms, sparse {Timing.Median(times[true]):F1} ms per step");
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
