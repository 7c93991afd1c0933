using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BioNer.Checkpoints;
using BioNer.Data;
using BioNer.Modeling;
using BioNer.Onnx.Export;
using BioNer.Onnx.Runtime;
using BioNer.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace BioNer.Benchmarks;

/// <summary>
/// Inference side by side, in one run, on one exported model and identical batches: BioNer's TorchSharp model, BioNer on
/// ONNX Runtime (fp32 and int8), and transformers.js (onnxruntime-node, fp32 and q8) loading the same export folder.
/// Two workloads: CRAFT-like sentences (one sentence per sequence, as <c>bioner predict</c> sees them) and full
/// 128-token windows (long documents), each at batch 1 and batch 32 (dynamic padding to the batch's longest). Every
/// runtime gets the same thread count; tokenization is outside the timing for all of them.
/// </summary>
public static class InferenceBenchmark
{
    /// <summary>One timed case: a workload cut into batches of one size (each batch: sequences of token ids).</summary>
    private sealed record Case(string Workload, int BatchSize, IReadOnlyList<int[][]> Batches);

    /// <summary>Runs the verb. Options: <c>--model DIR|minilm|roberta-base-sized</c> (default minilm with a 13-label CRAFT head),
    /// <c>--text FILE</c> (CoNLL, default the sample dev set), <c>--sentences N</c> (64), <c>--windows N</c> (32),
    /// <c>--runs N</c> (timed passes per case, the runtimes interleaved; median, min and max reported; 3), <c>--bf16</c> (adds
    /// TorchSharp with <see cref="TokenClassifier.ComputeInBf16"/>), <c>--threads N</c> (2), <c>--transformersjs DIR</c>
    /// (folder with <c>infer-bench.mjs</c> and its <c>node_modules</c>; default benchmarks/transformersjs), <c>--json FILE</c>,
    /// <c>--peak GFLOPS</c> (libtorch's; ONNX Runtime's is always measured), <c>--quick</c>.</summary>
    public static int Run(string[] args)
    {
        bool quick = Timing.Flag(args, "--quick");
        int runs = Timing.IntOption(args, "--runs", quick ? 1 : 3);
        int threads = Timing.IntOption(args, "--threads", 2);
        torch.set_num_threads(threads);
        int sentenceCount = Timing.IntOption(args, "--sentences", quick ? 32 : 64);
        int windowCount = Timing.IntOption(args, "--windows", 32);
        string modelArg = Timing.StringOption(args, "--model", "minilm")!;
        string text = Timing.StringOption(args, "--text", null) ?? Repo.Locate("samples/craft-sample/dev.conll");
        string? jsDir = Timing.StringOption(args, "--transformersjs", null) ?? Repo.TryLocate("benchmarks/transformersjs");
        string? jsonOut = Timing.StringOption(args, "--json", null);
        bool bf16 = Timing.Flag(args, "--bf16");
        double torchPeak = MatmulBenchmark.PeakFor(args);
        double ortPeak = MatmulBenchmark.OnnxRuntimePeak(threads);
        double peak = Math.Max(torchPeak, ortPeak);
        Console.WriteLine($"cpu: {BioNer.Native.CpuFeatures.Describe()}");
        Console.WriteLine($"fp32 matmul 2048³ with {threads} threads: libtorch (MKL) {torchPeak:F0} GFLOP/s, ONNX Runtime (MLAS) {ortPeak:F0} GFLOP/s; ceiling {peak:F0}");

        string work = Directory.CreateTempSubdirectory("bioner-infer-bench-").FullName;
        try
        {
            var (modelDir, config) = PrepareModel(modelArg, work);
            string exportDir = Path.Combine(work, "export");
            var watch = Stopwatch.StartNew();
            OnnxExporter.Export(modelDir, exportDir, new OnnxExportOptions { QuantizeInt8 = true });
            Console.WriteLine($"exported {modelArg} to {exportDir} (fp32 + int8) in {watch.Elapsed.TotalSeconds:F1} s");

            var cases = BuildCases(HfTokenizer.Load(modelDir), text, sentenceCount, windowCount);
            string workloadPath = Path.Combine(work, "workload.json");
            WriteWorkload(workloadPath, cases, config);
            Console.WriteLine($"{threads} threads for every runtime; {runs} timed passes per case after 1 warm-up, runtimes interleaved; load average {Timing.LoadAverage()}");
            foreach (var c in cases)
                Console.WriteLine($"  {c.Workload}, batch {c.BatchSize}: {c.Batches.Count} batches, {RealTokens(c)} tokens, " +
                                  $"{PaddedTokens(c)} positions computed");

            // Every repeat runs every runtime over every case in turn (transformers.js as one node process per repeat), so a
            // change of load hits all rows alike; each case is warmed up once per runtime before the first timed pass.
            var results = new List<(string Runtime, string Workload, int Batch, double Seconds)>();
            var runtimes = new List<(string Name, Func<Case, double> Pass, IDisposable Owner)>();
            try
            {
                var fp32 = CheckpointLoader.Load(modelDir);
                runtimes.Add(("BioNer TorchSharp", c => TorchPass(fp32, c), fp32));
                if (bf16)
                {
                    var half = CheckpointLoader.Load(modelDir);
                    half.ComputeInBf16 = true;
                    runtimes.Add(("BioNer TorchSharp bf16", c => TorchPass(half, c), half));
                }
                foreach (var (name, quantized) in new[] { ("BioNer ONNX Runtime fp32", false), ("BioNer ONNX Runtime int8", true) })
                {
                    var session = OnnxTokenClassifier.Load(exportDir, new OnnxRuntimeOptions { IntraOpThreads = threads, Quantized = quantized });
                    runtimes.Add((name, c => OnnxPass(session, c, config), session));
                }
                bool jsMissing = false;
                for (int rep = 0; rep < runs; rep++)
                {
                    foreach (var (name, pass, _) in runtimes)
                        foreach (var c in cases)
                        {
                            if (rep == 0) pass(c);
                            results.Add((name, c.Workload, c.BatchSize, pass(c)));
                        }
                    if (!jsMissing)
                    {
                        var js = RunTransformersJs(jsDir, exportDir, workloadPath, threads, 1).ToList();
                        jsMissing = js.Count == 0;                    // said once: node or its modules are absent
                        results.AddRange(js);
                    }
                }
            }
            finally
            {
                foreach (var r in runtimes) r.Owner.Dispose();
            }

            Report(results, cases, config, peak, jsonOut, modelArg, threads);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// An HF folder with a classifier head. <c>minilm</c> gets the CRAFT labels (head weights random: speed is the same);
    /// <c>roberta-base-sized</c> is <see cref="BenchModels.RobertaBaseSized"/> (random weights, the reference model's
    /// shape) reading MiniLM's WordPiece ids, as in the train verb (no roberta-base tokenizer offline).
    /// </summary>
    internal static (string Dir, ModelConfig Config) PrepareModel(string modelArg, string work)
    {
        string dir = Path.Combine(work, "model");
        bool robertaSized = modelArg == "roberta-base-sized";
        string source = ModelResolver.Resolve(robertaSized ? "minilm" : modelArg);
        using var model = robertaSized ? BenchModels.RobertaBaseSized(BenchModels.CraftLabels)
            : CheckpointLoader.Load(source, ModelResolver.BuiltIns.Contains(modelArg) ? BenchModels.CraftLabels : null);
        CheckpointWriter.Save(model, dir, tmp => HfTokenizer.Load(source).SaveTo(tmp));
        return (dir, model.Config);
    }

    /// <summary>
    /// Sentences: each sentence of <paramref name="text"/> joined with spaces and tokenized as <c>bioner predict</c> would
    /// (specials included, cut at 128). Windows: the same token stream concatenated and cut into full 128-token windows.
    /// Batches keep corpus order (no length sorting), as requests arrive.
    /// </summary>
    private static List<Case> BuildCases(HfTokenizer tokenizer, string text, int sentenceCount, int windowCount)
    {
        const int window = 128;
        var corpus = CorpusIO.Read(text);
        var stream = new List<int>();
        var sentences = new List<int[]>();
        foreach (var s in corpus.Sentences)
        {
            var ids = tokenizer.Encode(string.Join(' ', s.Words), addSpecialTokens: false);
            stream.AddRange(ids);
            if (sentences.Count < sentenceCount)
                sentences.Add([tokenizer.ClsId, .. ids.Take(window - 2), tokenizer.SepId]);
        }
        var windows = new List<int[]>();
        for (int start = 0; windows.Count < windowCount; start += window - 2)
        {
            if (start + window - 2 > stream.Count) start = 0;        // a short corpus is reused from its start
            windows.Add([tokenizer.ClsId, .. stream.GetRange(start, window - 2), tokenizer.SepId]);
        }
        if (sentences.Count < sentenceCount)
            Console.WriteLine($"note: {text} has only {sentences.Count} sentences (asked for {sentenceCount})");
        return
        [
            new("CRAFT sentences", 1, Chunk(sentences, 1)),
            new("CRAFT sentences", 32, Chunk(sentences, 32)),
            new("128-token windows", 1, Chunk(windows, 1)),
            new("128-token windows", 32, Chunk(windows, 32)),
        ];
    }

    private static List<int[][]> Chunk(List<int[]> seqs, int size) => seqs.Chunk(size).ToList();

    private static long RealTokens(Case c) => c.Batches.Sum(b => b.Sum(s => (long)s.Length));

    private static long PaddedTokens(Case c) => c.Batches.Sum(b => (long)b.Length * b.Max(s => s.Length));

    /// <summary>Forward FLOPs of one pass over the case's batches (padded positions: they are computed too).</summary>
    private static double Flops(Case c, ModelConfig config) =>
        c.Batches.Sum(b => BenchModels.ForwardFlopsPerToken(config, b.Max(s => s.Length)) * b.Length * b.Max(s => s.Length));

    /// <summary>Wall seconds of one pass over the case's batches through the TorchSharp model.</summary>
    private static double TorchPass(TokenClassifier model, Case c)
    {
        model.eval();
        var batches = c.Batches.Select(b => Collator.PadIds(b, model.Config.PadTokenId)).ToList();
        return PassSeconds(() =>
        {
            using var mode = torch.inference_mode();
            foreach (var batch in batches)
            {
                using var scope = torch.NewDisposeScope();
                var ids = torch.tensor(batch.InputIds, [batch.BatchSize, batch.SeqLen]);
                var mask = torch.tensor(batch.AttentionMask, [batch.BatchSize, batch.SeqLen]);
                var types = torch.tensor(batch.TokenTypeIds, [batch.BatchSize, batch.SeqLen]);
                model.call(ids, mask, types).data<float>().ToArray();   // logits copied out, as ONNX Runtime returns them
            }
        });
    }

    /// <summary>Wall seconds of one pass over the case's batches through ONNX Runtime.</summary>
    private static double OnnxPass(OnnxTokenClassifier session, Case c, ModelConfig config)
    {
        var batches = c.Batches.Select(b => Collator.PadIds(b, config.PadTokenId)).ToList();
        return PassSeconds(() =>
        {
            foreach (var batch in batches) session.Logits(batch);
        });
    }

    private static double PassSeconds(Action pass)
    {
        var watch = Stopwatch.StartNew();
        pass();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>The batches as JSON for the transformers.js script: ids per case, plus pad id and whether BERT token types are fed.</summary>
    private static void WriteWorkload(string path, List<Case> cases, ModelConfig config)
    {
        var root = new JsonObject
        {
            ["pad_id"] = config.PadTokenId,
            ["token_type_ids"] = config.ModelType == "bert",
            ["cases"] = new JsonArray(cases.Select(c => (JsonNode)new JsonObject
            {
                ["workload"] = c.Workload,
                ["batch"] = c.BatchSize,
                ["batches"] = JsonSerializer.SerializeToNode(c.Batches),
            }).ToArray()),
        };
        File.WriteAllText(path, root.ToJsonString());
    }

    /// <summary>
    /// Runs <c>node infer-bench.mjs</c> on the same export and batches (after BioNer's runtimes finished, so they never
    /// share the CPU) and reads its JSON lines. Absent node or node_modules: a note, and the table goes without it.
    /// </summary>
    private static IEnumerable<(string, string, int, double)> RunTransformersJs(string? jsDir, string exportDir, string workload, int threads, int runs)
    {
        if (jsDir is null || !Directory.Exists(Path.Combine(jsDir, "node_modules", "@huggingface", "transformers")))
        {
            Console.WriteLine("transformers.js: skipped (run `npm ci` in benchmarks/transformersjs, or pass --transformersjs DIR)");
            return [];
        }
        var info = new ProcessStartInfo("node", [Path.Combine(jsDir, "infer-bench.mjs"), exportDir, workload, threads.ToString(CultureInfo.InvariantCulture), runs.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            WorkingDirectory = jsDir,
        };
        using var node = Process.Start(info) ?? throw new BioNerException("cannot start node");
        var results = new List<(string, string, int, double)>();
        while (node.StandardOutput.ReadLine() is { } line)
        {
            if (!line.StartsWith('{')) { Console.WriteLine($"  node: {line}"); continue; }
            var r = JsonNode.Parse(line)!;
            results.Add(($"transformers.js {r["dtype"]}", (string)r["workload"]!, (int)r["batch"]!, (double)r["seconds"]!));
        }
        node.WaitForExit();
        if (node.ExitCode != 0) throw new BioNerException($"transformers.js benchmark failed (exit {node.ExitCode})", Path.Combine(jsDir, "infer-bench.mjs"));
        return results;
    }

    private static void Report(List<(string Runtime, string Workload, int Batch, double Seconds)> results, List<Case> cases,
        ModelConfig config, double peak, string? jsonOut, string modelName, int threads)
    {
        var table = new MarkdownTable("workload", "batch", "runtime", "runs", "ms/pass (median)", "min–max ms", "tokens/s", "× TorchSharp", "GFLOP/s", "% of peak");
        var json = new JsonArray();
        foreach (var c in cases)
        {
            var here = results.Where(r => r.Workload == c.Workload && r.Batch == c.BatchSize).ToList();
            double torchSeconds = Timing.Median(here.Where(r => r.Runtime == "BioNer TorchSharp").Select(r => r.Seconds));
            foreach (var group in here.GroupBy(r => r.Runtime))
            {
                var secs = group.Select(r => r.Seconds).ToList();
                double median = Timing.Median(secs);
                double tokensPerSecond = RealTokens(c) / median;
                double gflops = Flops(c, config) / median / 1e9;
                table.Add(c.Workload, c.BatchSize, group.Key, secs.Count, (1000 * median).ToString("F0"),
                          $"{1000 * secs.Min():F0}–{1000 * secs.Max():F0}", tokensPerSecond.ToString("F0"),
                          (torchSeconds / median).ToString("F2"), gflops.ToString("F1"), (100 * gflops / peak).ToString("F0"));
                json.Add(new JsonObject
                {
                    ["model"] = modelName, ["threads"] = threads, ["workload"] = c.Workload, ["batch"] = c.BatchSize,
                    ["runtime"] = group.Key, ["seconds"] = median, ["seconds_min"] = secs.Min(), ["seconds_max"] = secs.Max(), ["runs"] = secs.Count,
                    ["tokens"] = RealTokens(c), ["positions"] = PaddedTokens(c),
                    ["tokens_per_second"] = tokensPerSecond, ["gflops"] = gflops, ["peak_gflops"] = peak,
                });
            }
        }
        table.Print();
        Console.WriteLine("tokens/s counts real tokens (specials included, padding not); GFLOP/s counts the padded positions computed " +
                          $"% of peak divides by the best fp32 matmul measured here ({peak:F0} GFLOP/s); int8 rows count the same nominal FLOPs, " +
                          "so their share can pass 100%.");
        Console.WriteLine($"load average {Timing.LoadAverage()}");
        if (jsonOut is not null) IO.AtomicFile.WriteAllText(jsonOut, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
