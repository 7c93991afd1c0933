namespace BioNer.Benchmarks;

/// <summary>
/// Entry point: the first argument picks the benchmark (verb), the rest are its options. Add a verb by adding a line to
/// <see cref="Verbs"/>.
/// </summary>
public static class Program
{
    private static readonly Dictionary<string, (string Help, Func<string[], int> Run)> Verbs = new()
    {
        ["eval"] = ("seqeval-exact evaluation of 1,000,000 tokens (options: --tokens N --runs N)", EvalBenchmark.Run),
        ["serve"] = ("loopback load test of the HTTP server (options: --model DIR --clients N --seconds M --words W)", ServeLoadBenchmark.Run),
        ["matmul"] = ("fp32/bf16 torch.matmul peak GFLOP/s, default threads and 1 (options: --iters N --quick --threads N)", MatmulBenchmark.Run),
        ["forward"] = ("inference tokens/s at 8 × 128, minilm and roberta-base-sized (options: --iters N --quick --threads N --peak G)", ForwardBenchmark.Run),
        ["infer"] = ("inference side by side: TorchSharp, ONNX Runtime fp32/int8, transformers.js; batch 1 and 32 (options: --model DIR --runs N --threads N --json FILE)", InferenceBenchmark.Run),
        ["train-vs-pytorch"] = ("training tokens/s, BioNer vs PyTorch eager (python3-torch), same weights and batches (options: --steps N --threads N --models minilm,roberta --python PATH)", TrainVsPyTorchBenchmark.Run),
        ["literature"] = ("PubMed abstracts: docs/s and words/s per runtime, parse/write cost, peak RSS 1× vs 10× corpus, PubMed-baseline estimate (options: --files N --docs N --runs N --threads N --rss-docs N --no-rss)", LiteratureBenchmark.Run),
        ["train"] = ("training tokens/s on the sample corpus, 3 batchings (options: --iters N --quick --threads N --models minilm,roberta --peak G)", TrainBenchmark.Run),
    };

    public static int Main(string[] args)
    {
        // Before the first torch call: the matmul verb reaches libtorch without loading the BioNer assembly first.
        Console.WriteLine("native setup: " + BioNer.Native.NativeSetup.Apply());
        if (args.Length == 0 || !Verbs.TryGetValue(args[0], out var verb))
        {
            Console.Error.WriteLine("usage: dotnet run -c Release --project benchmarks/BioNer.Benchmarks -- <verb> [options]");
            foreach (var (name, (help, _)) in Verbs) Console.Error.WriteLine($"  {name,-8} {help}");
            return 2;
        }
        try
        {
            return verb.Run(args[1..]);
        }
        catch (BioNerException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
