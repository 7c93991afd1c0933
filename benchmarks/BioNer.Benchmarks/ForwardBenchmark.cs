using BioNer.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace BioNer.Benchmarks;

/// <summary>
/// Inference throughput of a full batch (default 8 × 128 tokens, no padding) under <c>torch.inference_mode</c>, for the
/// built-in MiniLM and a roberta-base-sized random model, scored against the machine's measured fp32 matmul peak.
/// </summary>
public static class ForwardBenchmark
{
    /// <summary>Runs the verb: <c>--iters N</c> (default 5), <c>--quick</c>, <c>--threads N</c>, <c>--batch B</c>,
    /// <c>--seq T</c>, <c>--peak GFLOPS</c> (skip measuring the peak).</summary>
    public static int Run(string[] args)
    {
        bool quick = Timing.Flag(args, "--quick");
        int iters = Timing.IntOption(args, "--iters", quick ? 2 : 5);
        int threads = Timing.IntOption(args, "--threads", 0);
        if (threads > 0) torch.set_num_threads(threads);
        int batch = Timing.IntOption(args, "--batch", 8);
        int seq = Timing.IntOption(args, "--seq", 128);
        double peak = MatmulBenchmark.PeakFor(args);
        Console.WriteLine($"forward: batch {batch} × {seq} tokens, inference mode, {torch.get_num_threads()} torch threads, " +
                          $"{iters} timed runs after 1 warm-up; fp32 matmul peak {peak:F0} GFLOP/s; load average {Timing.LoadAverage()}");

        var table = new MarkdownTable("model", "parameters", "MFLOP/token", "ms/batch", "CPU ms/batch", "tokens/s", "GFLOP/s", "% of peak");
        var summary = new List<string>();
        foreach (var (name, build) in new (string, Func<TokenClassifier>)[]
                 {
                     ("minilm (BERT 6×384)", () => BenchModels.MiniLm(BenchModels.CraftLabels)),
                     ("roberta-base-sized (12×768, random)", () => BenchModels.RobertaBaseSized(BenchModels.CraftLabels)),
                 })
        {
            using var model = build();
            var r = Measure(model, batch, seq, iters);
            double flopsPerToken = BenchModels.ForwardFlopsPerToken(model.Config, seq);
            double tokensPerSecond = batch * seq / (r.MedianMs / 1000);
            double gflops = flopsPerToken * tokensPerSecond / 1e9;
            table.Add(name, $"{model.ParameterCount / 1e6:F1} M", (flopsPerToken / 1e6).ToString("F1"), r.MedianMs.ToString("F0"),
                      r.CpuMedianMs.ToString("F0"), tokensPerSecond.ToString("F0"), gflops.ToString("F1"), (100 * gflops / peak).ToString("F0"));
            summary.Add($"{name.Split(' ')[0]} {tokensPerSecond:F0} tokens/s ({100 * gflops / peak:F0}% of peak)");
        }
        table.Print();
        Console.WriteLine($"summary: forward {string.Join(", ", summary)}; load average {Timing.LoadAverage()}");
        return 0;
    }

    private static (double MedianMs, double MinMs, double MaxMs, double CpuMedianMs) Measure(TokenClassifier model, int batch, int seq, int iters)
    {
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var mode = torch.inference_mode();
        var generator = new Generator(7, CPU);
        var ids = torch.randint(5, model.Config.VocabSize, [batch, seq], dtype: ScalarType.Int64, generator: generator);
        var mask = torch.ones([batch, seq], ScalarType.Int64);
        var types = torch.zeros([batch, seq], ScalarType.Int64);
        return Timing.Measure(() =>
        {
            using var step = torch.NewDisposeScope();
            model.call(ids, mask, types);
        }, 1, iters);
    }
}
