using System.CommandLine;
using BioNer.Inference;
using BioNer.Onnx.Runtime;

namespace BioNer.Cli.Commands;

/// <summary>
/// <c>--runtime torch|onnx|onnx-int8</c>, <c>--bf16</c>, <c>--threads</c> and <c>--onnx-threads</c>, shared by <c>predict</c> and <c>serve</c>: which
/// <see cref="ITokenScorer"/> runs the forward passes. ONNX uses the folder's <c>onnx/model.onnx</c>
/// (<c>model_quantized.onnx</c> for int8) when present, else exports the checkpoint in memory.
/// </summary>
internal static class RuntimeOption
{
    private static readonly Option<string> Runtime = new("--runtime") { Description = "torch | onnx | onnx-int8 (ONNX Runtime, CPU)", DefaultValueFactory = _ => "torch" };
    private static readonly Option<int> OnnxThreads = new("--onnx-threads") { Description = "Intra-op threads for --runtime onnx (0 = --threads, else one per logical CPU)", DefaultValueFactory = _ => 0 };
    private static readonly Option<bool> Bf16 = new("--bf16") { Description = "--runtime torch: matmuls in bf16 (needs a CPU with AMX or AVX512_BF16; refused elsewhere)" };
    private static readonly Option<bool> Fp32 = new("--fp32") { Description = "--runtime torch: keep every matmul in fp32 where predict/serve would pick bf16 (a base-sized model on a CPU with AMX or AVX512_BF16)" };
    private static readonly Option<int> Threads = new("--threads") { Description = "CPU threads for the forward passes, either runtime (0 = all cores; under Slurm give the allocated CPUs)", DefaultValueFactory = _ => 0 };

    /// <summary>Adds the three options to <paramref name="command"/>.</summary>
    public static void AddTo(Command command)
    {
        command.Options.Add(Runtime);
        command.Options.Add(OnnxThreads);
        command.Options.Add(Threads);
        command.Options.Add(Bf16);
        command.Options.Add(Fp32);
    }

    /// <summary>
    /// Hidden size from which <c>predict</c> and <c>serve</c> run the torch runtime in bf16 by default on a CPU with bf16
    /// hardware. Why a size: on the 2-core AMD EPYC with AVX512_BF16 (benchmarks/RESULTS.md, "Fused optimizer and bf16"),
    /// a roberta-base-sized model (768) at batch 32 scored 2.06–2.27× ONNX Runtime fp32 and 1.4–1.5× int8 in bf16, the
    /// fastest runtime by a wide margin, while MiniLM (384) gained only 1.3–1.4× over ONNX fp32 and tied with int8 —
    /// not worth outputs that differ from fp32 by bf16 rounding.
    /// </summary>
    public const int Bf16DefaultHiddenSize = 768;

    /// <summary>
    /// Whether the torch runtime computes in bf16: <c>--bf16</c> yes (refused later on a CPU without bf16 hardware),
    /// <c>--fp32</c> no, neither: <paramref name="bf16ByDefault"/> (predict, serve; not evaluate, whose scores should
    /// not depend on the machine), bf16 hardware and a hidden size of at least <see cref="Bf16DefaultHiddenSize"/>.
    /// </summary>
    public static bool UsesBf16(bool bf16, bool fp32, string runtime, bool bf16ByDefault, bool hasBf16Hardware, int hiddenSize)
    {
        if (bf16 && fp32) throw new BioNerException("--bf16 and --fp32 exclude each other");
        if (bf16 && runtime != "torch") throw new BioNerException($"--bf16 applies to --runtime torch, not {runtime}");
        if (runtime != "torch") return false;
        return bf16 || (!fp32 && bf16ByDefault && hasBf16Hardware && hiddenSize >= Bf16DefaultHiddenSize);
    }

    /// <summary>The runtime name as given (lower case).</summary>
    public static string Name(ParseResult parse) => parse.GetValue(Runtime)!.Trim().ToLowerInvariant();

    /// <summary>
    /// The runtime that scored, for reports and batch manifests: <see cref="Name"/>, with " bf16" when the torch runtime
    /// computed in bf16 (its outputs differ from fp32 by bf16 rounding, so a batch run does not mix the two).
    /// </summary>
    public static string Describe(ParseResult parse, WindowScorer scorer) =>
        Name(parse) + (Name(parse) == "torch" && TorchInBf16(scorer) ? " bf16" : "");

    // Apart, and never inlined, so that describing an ONNX scorer never compiles code that touches libtorch's types.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool TorchInBf16(WindowScorer scorer) => scorer is TorchTokenScorer { Model.ComputeInBf16: true };

    /// <summary>
    /// Builds the scorer the parsed options ask for over the resolved model folder; <paramref name="tokenizerDir"/>
    /// supplies the tokenizer files when the folder has none (an epoch checkpoint). <paramref name="bf16ByDefault"/>:
    /// see <see cref="UsesBf16"/>.
    /// </summary>
    public static WindowScorer CreateScorer(ParseResult parse, string modelDir, Action<string> log, string? tokenizerDir = null,
        bool bf16ByDefault = false)
    {
        string runtime = Name(parse);
        int threads = parse.GetValue(OnnxThreads), all = parse.GetValue(Threads);
        if (threads < 0) throw new BioNerException($"--onnx-threads must be 0 or more (got {threads})");
        if (all < 0) throw new BioNerException($"--threads must be 0 or more (got {all})");
        if (threads == 0) threads = all;
        bool bf16 = parse.GetValue(Bf16), fp32 = parse.GetValue(Fp32);
        _ = UsesBf16(bf16, fp32, runtime, bf16ByDefault: false, hasBf16Hardware: false, hiddenSize: 0); // option errors before loading
        return runtime switch
        {
            "torch" => LoadTorch(modelDir, tokenizerDir ?? modelDir, all, bf16, fp32, bf16ByDefault, log),
            "onnx" or "onnx-int8" => OnnxTokenScorer.Load(modelDir,
                new OnnxRuntimeOptions { IntraOpThreads = threads, Quantized = runtime == "onnx-int8" }, log, tokenizerDir),
            _ => throw new BioNerException($"--runtime: unknown runtime '{runtime}' (torch, onnx, onnx-int8)"),
        };
    }

    // Only the torch runtime touches libtorch (an ONNX-only build has none).
    private static TorchTokenScorer LoadTorch(string modelDir, string tokenizerDir, int threads, bool bf16, bool fp32,
        bool bf16ByDefault, Action<string> log)
    {
        if (bf16) BioNer.Native.CpuFeatures.RequireBf16("--bf16");
        if (threads > 0) TorchSharp.torch.set_num_threads(threads);
        var scorer = TorchTokenScorer.Load(modelDir, tokenizerDir);
        bool use = UsesBf16(bf16, fp32, "torch", bf16ByDefault, BioNer.Native.CpuFeatures.HasBf16Hardware, scorer.Config.HiddenSize);
        scorer.Model.ComputeInBf16 = use;
        if (use && !bf16)
            log($"torch runtime in bf16: this CPU has bf16 hardware and the model is base-sized (hidden {scorer.Config.HiddenSize}), " +
                "where bf16 is about 2x the fp32 runtimes at batch 32; --fp32 keeps fp32");
        return scorer;
    }
}
