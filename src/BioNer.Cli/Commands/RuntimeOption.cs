using System.CommandLine;
using BioNer.Inference;
using BioNer.Onnx;

namespace BioNer.Cli.Commands;

/// <summary>
/// <c>--runtime torch|onnx|onnx-int8</c> and <c>--onnx-threads</c>, shared by <c>predict</c> and <c>serve</c>: which
/// <see cref="ITokenScorer"/> runs the forward passes. ONNX uses the folder's <c>onnx/model.onnx</c>
/// (<c>model_quantized.onnx</c> for int8) when present, else exports the checkpoint in memory.
/// </summary>
internal sealed class RuntimeOption
{
    private readonly Option<string> _runtime = new("--runtime") { Description = "torch | onnx | onnx-int8 (ONNX Runtime, CPU)", DefaultValueFactory = _ => "torch" };
    private readonly Option<int> _threads = new("--onnx-threads") { Description = "Intra-op threads for --runtime onnx (0 = one per logical CPU)", DefaultValueFactory = _ => 0 };

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_runtime);
        command.Options.Add(_threads);
    }

    /// <summary>Builds the scorer the parsed options ask for over the resolved model folder.</summary>
    public ITokenScorer CreateScorer(ParseResult parse, string modelDir, Action<string> log)
    {
        string runtime = parse.GetValue(_runtime)!.Trim().ToLowerInvariant();
        int threads = parse.GetValue(_threads);
        if (threads < 0) throw new BioNerException($"--onnx-threads must be 0 or more (got {threads})");
        return runtime switch
        {
            "torch" => TorchTokenScorer.Load(modelDir),
            "onnx" or "onnx-int8" => OnnxTokenScorer.Load(modelDir,
                new OnnxRuntimeOptions { IntraOpThreads = threads, Quantized = runtime == "onnx-int8" }, log),
            _ => throw new BioNerException($"--runtime: unknown runtime '{runtime}' (torch, onnx, onnx-int8)"),
        };
    }
}
