using BioNer.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace BioNer.Benchmarks;

/// <summary>
/// The machine's measured matmul ceiling with the libtorch that BioNer runs on: square <c>torch.matmul</c> in float32
/// (and bfloat16, to see whether libtorch's CPU path uses AVX-512 BF16), with libtorch's default thread count and with
/// one thread. The forward and training benchmarks express their achieved GFLOP/s as a share of the fp32 figure.
/// </summary>
public static class MatmulBenchmark
{
    /// <summary>Runs the verb: options <c>--iters N</c> (timed runs per cell, default 5), <c>--quick</c>, <c>--threads N</c>.</summary>
    public static int Run(string[] args)
    {
        bool quick = Timing.Flag(args, "--quick");
        int iters = Timing.IntOption(args, "--iters", quick ? 3 : 5);
        int threads = Timing.IntOption(args, "--threads", 0);
        if (threads > 0) torch.set_num_threads(threads);
        int defaultThreads = torch.get_num_threads();
        int[] sizes = quick ? [1024, 2048] : [1024, 2048, 4096];
        Console.WriteLine($"matmul: {Environment.ProcessorCount} cores, torch threads {defaultThreads} (interop {torch.get_num_interop_threads()}), " +
                          $"load average {Timing.LoadAverage()}, {iters} timed runs per cell after 1 warm-up");

        var table = new MarkdownTable("n × n × n", "dtype", "threads", "median ms", "GFLOP/s (median)", "GFLOP/s (best)", "GFLOP/CPU-s");
        var fp32 = new Dictionary<(int Threads, int Size), double>();
        var bf16 = new Dictionary<(int Threads, int Size), double>();
        foreach (int t in new[] { defaultThreads, 1 }.Distinct())
        {
            torch.set_num_threads(t);
            foreach (int n in sizes) fp32[(t, n)] = Cell(table, n, ScalarType.Float32, t, iters);
            foreach (int n in sizes)
            {
                // A CPU libtorch without a BF16 GEMM falls back to a scalar loop tens of times slower: stop after 1024 then.
                if (n > sizes[0] && bf16[(t, sizes[0])] < 0.25 * fp32[(t, sizes[0])]) break;
                bf16[(t, n)] = Cell(table, n, ScalarType.BFloat16, t, iters);
            }
        }
        torch.set_num_threads(defaultThreads);
        table.Print();
        double peak = sizes.Max(n => fp32[(defaultThreads, n)]);
        double peak1 = sizes.Max(n => fp32[(1, n)]);
        double bfPeak = bf16.Where(kv => kv.Key.Threads == defaultThreads).Max(kv => kv.Value);
        Console.WriteLine($"summary: fp32 matmul peak {peak:F0} GFLOP/s with {defaultThreads} threads ({peak1:F0} with 1 thread); " +
                          $"bf16 {bfPeak:F0} GFLOP/s ({bfPeak / peak:F2}× fp32); load average {Timing.LoadAverage()}");
        return 0;
    }

    /// <summary>
    /// Best fp32 GFLOP/s of an n × n by n × n matmul at the current thread count over <paramref name="iters"/> timed runs:
    /// the ceiling the other verbs divide by (the best run, because a ceiling is what the machine can do, not what a
    /// noisy run happened to get).
    /// </summary>
    public static double Peak(int n = 2048, int iters = 5) => Gflops(n, ScalarType.Float32, iters, PeakWarmup).Best;

    /// <summary>
    /// Untimed products before a peak measurement: a fresh process reaches full matmul speed only after ~0.5 s of work
    /// (measured: 2048³ best of 5 after 1 warm-up 229–238 GFLOP/s, after the matmul verb's longer warm-up 378).
    /// </summary>
    private const int PeakWarmup = 12;

    /// <summary>
    /// Best fp32 GFLOP/s (of <paramref name="iters"/> timed runs) of an n × n by n × n MatMul in ONNX Runtime (a one-node graph, <paramref name="threads"/> intra-op
    /// threads). ONNX Runtime's MLAS has AVX-512 kernels that MKL's dispatcher does not pick on AMD CPUs, so on this machine
    /// it is the higher ceiling; the inference verb divides by the larger of the two.
    /// </summary>
    public static double OnnxRuntimePeak(int threads, int n = 2048, int iters = 5)
    {
        var model = new OnnxModel { IrVersion = 8, ProducerName = "bioner-bench" };
        model.OpsetImports.Add(new OnnxOpset("", 17));
        var node = new OnnxNode { Name = "mm", OpType = "MatMul" };
        node.Inputs.AddRange(["a", "b"]);
        node.Outputs.Add("c");
        model.Graph.Name = "matmul";
        model.Graph.Nodes.Add(node);
        foreach (var name in new[] { "a", "b", "c" })
        {
            var info = new OnnxValueInfo { Name = name, ElemType = OnnxDataType.Float, Shape = [OnnxDim.Fixed(n), OnnxDim.Fixed(n)] };
            (name == "c" ? model.Graph.Outputs : model.Graph.Inputs).Add(info);
        }
        using var options = new SessionOptions { IntraOpNumThreads = threads, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        using var session = new InferenceSession(model.ToBytes(), options);
        var random = new Random(7);
        var data = new float[n * n];
        for (int i = 0; i < data.Length; i++) data[i] = (float)random.NextDouble() - 0.5f;
        using var a = OrtValue.CreateTensorValueFromMemory(data, [n, n]);
        using var b = OrtValue.CreateTensorValueFromMemory(data, [n, n]);
        using var runOptions = new RunOptions();
        var r = Timing.Measure(() =>
        {
            using var outputs = session.Run(runOptions, ["a", "b"], [a, b], ["c"]);
        }, PeakWarmup, iters);
        return 2.0 * n * n * n / (r.MinMs / 1000) / 1e9;
    }

    /// <summary>
    /// The peak the throughput verbs divide by: <c>--peak G</c> when given, else the best of 5 timed 2048³ fp32 runs at the
    /// current thread count, printed with the median and the CPU-time figure (on a loaded machine wall clock is deflated).
    /// </summary>
    public static double PeakFor(string[] args)
    {
        double peak = Timing.DoubleOption(args, "--peak", 0);
        if (peak > 0) return peak;
        var r = Gflops(2048, ScalarType.Float32, 5, PeakWarmup);
        Console.WriteLine($"fp32 matmul 2048³ at {torch.get_num_threads()} threads: best {r.Best:F1} GFLOP/s wall (median {r.Median:F1}), " +
                          $"{r.PerCpuSecond:F1} GFLOP per CPU-second");
        return r.Best;
    }

    private static double Cell(MarkdownTable table, int n, ScalarType dtype, int threads, int iters)
    {
        var (median, best, ms, perCpu) = Gflops(n, dtype, iters);
        table.Add(n, dtype == ScalarType.Float32 ? "fp32" : "bf16", threads, ms.ToString("F1"), median.ToString("F1"), best.ToString("F1"),
                  perCpu.ToString("F1"));
        return median;
    }

    private static (double Median, double Best, double MedianMs, double PerCpuSecond) Gflops(int n, ScalarType dtype, int iters, int warmup = 1)
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.randn(n, n).to(dtype);
        var b = torch.randn(n, n).to(dtype);
        int reps = Math.Max(1, 4096 / n * (4096 / n) * (4096 / n) / 8);   // ≥ ~17 GFLOP per timed sample
        var (median, min, _, cpu) = Timing.Measure(() =>
        {
            using var inner = torch.NewDisposeScope();
            for (int r = 0; r < reps; r++) torch.matmul(a, b);
        }, warmup, iters);
        double gflop = 2.0 * n * n * n * reps / 1e9;
        return (gflop / (median / 1000), gflop / (min / 1000), median / reps, gflop / (cpu / 1000));
    }
}
