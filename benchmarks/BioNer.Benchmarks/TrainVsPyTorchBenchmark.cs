using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BioNer.Checkpoints;
using BioNer.Data;
using BioNer.Modeling;
using BioNer.Native;
using BioNer.Tokenization;
using BioNer.Training;
using TorchSharp;

namespace BioNer.Benchmarks;

/// <summary>
/// Training throughput of BioNer against PyTorch eager on the same architecture, weights, batches, batch size and thread
/// count. For each model the verb saves BioNer's weights as an HF folder, writes the exact padded batches (length-grouped,
/// batch 8, from the sample corpus) and BioNer's eval-mode logits, times BioNer's own training step on them, then runs
/// <c>benchmarks/pytorch/train_bench.py</c> (plain PyTorch with HF's module names) on the same files, after BioNer is done.
/// The script checks its logits against BioNer's first, so "same architecture" is measured, not assumed.
/// </summary>
public static class TrainVsPyTorchBenchmark
{
    /// <summary>Runs the verb: <c>--steps N</c> (timed MiniLM steps, default 16; roberta-base-sized gets N/4, at least 2),
    /// <c>--threads N</c> (2), <c>--models minilm,roberta</c>, <c>--python PATH</c> (/usr/bin/python3), <c>--train FILE</c>,
    /// <c>--pytorch-wait-policy PASSIVE|ACTIVE|default</c> (default: GNU OpenMP's own, as PyTorch users run it), <c>--json FILE</c>, <c>--quick</c>,
    /// <c>--repeats R</c> (3; BioNer and PyTorch alternate), <c>--bf16</c> (adds BioNer <c>--bf16</c> against PyTorch's CPU bf16 autocast).</summary>
    public static int Run(string[] args)
    {
        bool quick = Timing.Flag(args, "--quick");
        int steps = Timing.IntOption(args, "--steps", quick ? 4 : 16);
        int threads = Timing.IntOption(args, "--threads", 2);
        torch.set_num_threads(threads);
        string models = Timing.StringOption(args, "--models", "minilm,roberta")!;
        string python = Timing.StringOption(args, "--python", "/usr/bin/python3")!;
        string script = Repo.Locate("benchmarks/pytorch/train_bench.py");
        string file = Timing.StringOption(args, "--train", null) ?? Repo.Locate("samples/craft-sample/train.conll");
        string? jsonOut = Timing.StringOption(args, "--json", null);
        int repeats = Timing.IntOption(args, "--repeats", quick ? 1 : 3);
        bool bf16 = Timing.Flag(args, "--bf16");
        // Each side runs as its users get it: BioNer with its policy (the user's, or OpenMpWaitPolicy's choice by the load
        // at start), PyTorch with GNU OpenMP's default (spinning) unless told otherwise.
        string ourPolicy = OpenMpWaitPolicy.Status;
        string theirPolicy = Timing.StringOption(args, "--pytorch-wait-policy", "default")!;

        var corpus = CorpusIO.Read(file);
        var labels = TrainingData.BuildLabels(null, [corpus]);
        var data = TrainingData.Encode(corpus, HfTokenizer.Load(ModelResolver.Resolve("minilm")), labels, 128, false);
        var order = LengthGroupedSampler.Batches(data.Sequences.Select(s => s.Length).ToArray(), 8, new Random(42));
        double peak = MatmulBenchmark.Peak();
        Console.WriteLine($"cpu: {CpuFeatures.Describe()}");
        Console.WriteLine($"train vs PyTorch: {file}, length-grouped batches of 8 (dynamic padding), {threads} threads each, " +
                          $"BioNer: {ourPolicy}; PyTorch: OMP_WAIT_POLICY {theirPolicy}; " +
                          $"BioNer fp32 matmul peak {peak:F0} GFLOP/s; load average {Timing.LoadAverage()}");

        var table = new MarkdownTable("model", "runtime", "steps × runs", "real tok/s (median)", "min–max", "padded tok/s",
            "fwd+bwd ms/step", "optim ms/step", "real tok/CPU-s", "GFLOP/s", "% of own peak", "% of best peak", "× PyTorch");
        var json = new JsonArray();
        var summary = new List<string>();
        string work = Directory.CreateTempSubdirectory("bioner-train-vs-pytorch-").FullName;
        var precisions = bf16 ? new[] { false, true } : [false];
        try
        {
            foreach (var (name, build, n) in new (string, Func<TokenClassifier>, int)[]
                     {
                         ("minilm", () => BenchModels.MiniLm(labels), steps),
                         ("roberta-base-sized", () => BenchModels.RobertaBaseSized(labels), Math.Max(2, steps / 4)),
                     })
            {
                if (!models.Contains(name.Split('-')[0], StringComparison.Ordinal)) continue;
                var batches = order.Take(n).ToList();
                string dir = Path.Combine(work, name);
                string workload = Path.Combine(work, name + ".json");
                using (var model = build())
                {
                    CheckpointWriter.Save(model, dir);
                    WriteWorkload(workload, model, data, batches);
                }
                // Interleaved: each repeat runs BioNer then PyTorch (per precision), so a load change hits both sides.
                var runs = new Dictionary<(bool Bf16, bool Ours), List<Measurement>>();
                for (int rep = 0; rep < repeats; rep++)
                    foreach (bool half in precisions)
                    {
                        Measurement ours;
                        using (var model = CheckpointLoader.Load(dir, labels)) ours = MeasureBioNer(model, data, batches, n, peak, half);
                        GC.Collect();
                        var theirs = RunPyTorch(python, script, dir, workload, threads, n, theirPolicy, half);
                        Add(runs, (half, true), ours);
                        Add(runs, (half, false), theirs);
                    }
                foreach (bool half in precisions)
                {
                    var theirsMid = Median(runs[(half, false)]);
                    double bestPeak = Math.Max(peak, theirsMid.Peak);
                    string suffix = half ? " bf16" : "";
                    foreach (var (runtime, list) in new[]
                             {
                                 ($"BioNer (TorchSharp){(half ? " --bf16" : "")}", runs[(half, true)]),
                                 ($"PyTorch {theirsMid.Version} eager{(half ? " + bf16 autocast" : "")}", runs[(half, false)]),
                             })
                    {
                        var m = Median(list);
                        var w = m.Work;
                        var tps = list.Select(x => x.Work.Real / x.Work.Seconds).ToList();
                        double gflops = w.Flops / w.Seconds / 1e9;
                        table.Add(name, runtime, $"{n} × {list.Count}", (w.Real / w.Seconds).ToString("F0"), $"{tps.Min():F0}–{tps.Max():F0}",
                                  (w.Padded / w.Seconds).ToString("F0"), (1000 * w.FwdBwdSeconds / n).ToString("F0"),
                                  (1000 * w.OptimSeconds / n).ToString("F0"), (w.Real / w.CpuSeconds).ToString("F0"),
                                  gflops.ToString("F1"), (100 * gflops / m.Peak).ToString("F0"), (100 * gflops / bestPeak).ToString("F0"),
                                  (theirsMid.Work.Seconds / w.Seconds).ToString("F2"));
                        json.Add(new JsonObject
                        {
                            ["model"] = name, ["runtime"] = runtime, ["bf16"] = half, ["steps"] = n, ["threads"] = threads, ["runs"] = list.Count,
                            ["real_tokens_per_second"] = w.Real / w.Seconds, ["real_tokens_per_second_min"] = tps.Min(),
                            ["real_tokens_per_second_max"] = tps.Max(), ["padded_tokens_per_second"] = w.Padded / w.Seconds,
                            ["fwd_bwd_ms_per_step"] = 1000 * w.FwdBwdSeconds / n, ["optim_ms_per_step"] = 1000 * w.OptimSeconds / n,
                            ["gflops"] = gflops, ["own_peak_gflops"] = m.Peak,
                        });
                    }
                    var oursMid = Median(runs[(half, true)]);
                    summary.Add($"{name}{suffix}: BioNer {oursMid.Work.Real / oursMid.Work.Seconds:F0} vs PyTorch {theirsMid.Work.Real / theirsMid.Work.Seconds:F0} real tokens/s " +
                                $"(medians of {repeats}; PyTorch BLAS {theirsMid.Blas}, peak {theirsMid.Peak:F0} GFLOP/s; logits max |diff| {theirsMid.LogitsDiff:E1}; RSS {theirsMid.RssMiB:F0} MiB)");
                }
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        table.Print();
        foreach (var s in summary) Console.WriteLine("summary: " + s);
        Console.WriteLine("GFLOP/s = 3 × forward FLOPs of the padded positions (BenchModels.ForwardFlopsPerToken) per second of " +
                          $"step time; each runtime's own peak is its fp32 2048² matmul. Load average {Timing.LoadAverage()}");
        if (jsonOut is not null) IO.AtomicFile.WriteAllText(jsonOut, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    private static void Add(Dictionary<(bool, bool), List<Measurement>> runs, (bool, bool) key, Measurement m)
    {
        if (!runs.TryGetValue(key, out var list)) runs[key] = list = [];
        list.Add(m);
    }

    /// <summary>The run with the median real tokens/s (its other columns come from the same run).</summary>
    private static Measurement Median(List<Measurement> runs) =>
        runs.OrderBy(m => m.Work.Real / m.Work.Seconds).ElementAt(runs.Count / 2);

    /// <summary>One runtime's steps (<see cref="TrainBenchmark.ModeResult"/>), its own matmul peak, and what PyTorch reports about itself.</summary>
    private sealed record Measurement(TrainBenchmark.ModeResult Work, double Peak,
        string Version = "", string Blas = "", double LogitsDiff = 0, double RssMiB = 0);

    /// <summary>The batches as padded arrays (ids, mask, labels: B × T each) and BioNer's eval-mode logits of the first one.</summary>
    private static void WriteWorkload(string path, TokenClassifier model, EncodedCorpus data, List<int[]> order)
    {
        var batches = order.Select(ix => Collator.Pad(ix.Select(i => data.Sequences[i]).ToList(), model.Config.PadTokenId)).ToList();
        JsonNode Rows(long[] flat, int b, int t) => JsonSerializer.SerializeToNode(flat.Chunk(t).Take(b).ToArray())!;
        float[] logits;
        model.eval();
        using (torch.NewDisposeScope())
        using (torch.inference_mode())
        {
            var first = batches[0];
            var ids = torch.tensor(first.InputIds, [first.BatchSize, first.SeqLen]);
            var mask = torch.tensor(first.AttentionMask, [first.BatchSize, first.SeqLen]);
            logits = model.call(ids, mask, torch.zeros_like(ids)).data<float>().ToArray();   // (B, T, L) flattened
        }
        var root = new JsonObject
        {
            ["batches"] = new JsonArray(batches.Select(b => (JsonNode)new JsonObject
            {
                ["input_ids"] = Rows(b.InputIds, b.BatchSize, b.SeqLen),
                ["attention_mask"] = Rows(b.AttentionMask, b.BatchSize, b.SeqLen),
                ["labels"] = Rows(b.Labels, b.BatchSize, b.SeqLen),
            }).ToArray()),
            ["reference_logits"] = JsonSerializer.SerializeToNode(logits),
        };
        File.WriteAllText(path, root.ToJsonString());
    }

    /// <summary>BioNer's trainer step (<see cref="TrainBenchmark.MeasureSteps"/>) over the batches: one warm-up step, then <paramref name="steps"/> timed.</summary>
    private static Measurement MeasureBioNer(TokenClassifier model, EncodedCorpus data, List<int[]> batches, int steps, double peak, bool bf16)
    {
        model.train();
        using var optimizer = BenchOptimizer.Create(bf16 ? "fused-bf16" : "fused", model);
        return new Measurement(TrainBenchmark.MeasureSteps(model, optimizer, data, batches, steps, 1, warmup: true), peak);
    }

    /// <summary>Runs the Python script (OMP_WAIT_POLICY <paramref name="waitPolicy"/>, or GNU OpenMP's own default when
    /// "default") and reads its JSON line.</summary>
    private static Measurement RunPyTorch(string python, string script, string modelDir, string workload, int threads, int steps, string waitPolicy, bool bf16)
    {
        var info = new ProcessStartInfo(python, [script, "--model-dir", modelDir, "--workload", workload,
            "--threads", threads.ToString(CultureInfo.InvariantCulture), "--steps", steps.ToString(CultureInfo.InvariantCulture),
            .. bf16 ? new[] { "--bf16" } : []])
        {
            RedirectStandardOutput = true,
        };
        if (waitPolicy.Equals("default", StringComparison.OrdinalIgnoreCase)) info.Environment.Remove("OMP_WAIT_POLICY");
        else info.Environment["OMP_WAIT_POLICY"] = waitPolicy;
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new BioNerException($"cannot start {python}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BioNerException($"cannot start {python} ({e.Message}); install PyTorch with `apt-get install python3-torch libopenblas0-openmp` or pass --python", python, inner: e);
        }
        using (process)
        {
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new BioNerException($"PyTorch benchmark failed (exit {process.ExitCode}; its error is above). Is PyTorch installed for {python}? " +
                                          "Debian: `apt-get install python3-torch libopenblas0-openmp`", script);
            var r = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
            var config = ModelConfig.Load(Path.Combine(modelDir, "config.json"));
            double flops = r["shapes"]!.AsArray().Sum(s => 3 * BenchModels.ForwardFlopsPerToken(config, (int)s![1]!) * (int)s[0]! * (int)s[1]!);
            var work = new TrainBenchmark.ModeResult((long)r["real_tokens"]!, (long)r["padded_tokens"]!, flops, (double)r["fwd_bwd_seconds"]!,
                (double)r["optim_seconds"]!, (double)r["cpu_seconds"]!);
            return new Measurement(work, (double)r["matmul_peak_gflops"]!, (string)r["torch"]!, (string)r["blas"]!,
                (double)r["logits_max_abs_diff"]!, (double)r["max_rss_mib"]!);
        }
    }
}
