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
    private static readonly Option<int> Threads = new("--threads") { Description = "CPU threads for the forward passes, either runtime (0 = all cores; under Slurm give the allocated CPUs)", DefaultValueFactory = _ => 0 };

    /// <summary>Adds the three options to <paramref name="command"/>.</summary>
    public static void AddTo(Command command)
    {
        command.Options.Add(Runtime);
        command.Options.Add(OnnxThreads);
        command.Options.Add(Threads);
        command.Options.Add(Bf16);
    }

    /// <summary>The runtime name as given (lower case).</summary>
    public static string Name(ParseResult parse) => parse.GetValue(Runtime)!.Trim().ToLowerInvariant();

    /// <summary>
    /// Builds the scorer the parsed options ask for over the resolved model folder; <paramref name="tokenizerDir"/>
    /// supplies the tokenizer files when the folder has none (an epoch checkpoint).
    /// </summary>
    public static WindowScorer CreateScorer(ParseResult parse, string modelDir, Action<string> log, string? tokenizerDir = null)
    {
        string runtime = Name(parse);
        int threads = parse.GetValue(OnnxThreads), all = parse.GetValue(Threads);
        if (threads < 0) throw new BioNerException($"--onnx-threads must be 0 or more (got {threads})");
        if (all < 0) throw new BioNerException($"--threads must be 0 or more (got {all})");
        if (threads == 0) threads = all;
        bool bf16 = parse.GetValue(Bf16);
        if (bf16 && runtime != "torch") throw new BioNerException($"--bf16 applies to --runtime torch, not {runtime}");
        return runtime switch
        {
            "torch" => LoadTorch(modelDir, tokenizerDir ?? modelDir, all, bf16),
            "onnx" or "onnx-int8" => OnnxTokenScorer.Load(modelDir,
                new OnnxRuntimeOptions { IntraOpThreads = threads, Quantized = runtime == "onnx-int8" }, log, tokenizerDir),
            _ => throw new BioNerException($"--runtime: unknown runtime '{runtime}' (torch, onnx, onnx-int8)"),
        };
    }

    // Only the torch runtime touches libtorch (an ONNX-only build has none).
    private static TorchTokenScorer LoadTorch(string modelDir, string tokenizerDir, int threads, bool bf16)
    {
        if (bf16) BioNer.Native.CpuFeatures.RequireBf16("--bf16");
        if (threads > 0) TorchSharp.torch.set_num_threads(threads);
        var scorer = TorchTokenScorer.Load(modelDir, tokenizerDir);
        scorer.Model.ComputeInBf16 = bf16;
        return scorer;
    }
}
