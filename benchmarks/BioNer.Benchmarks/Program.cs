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
    };

    public static int Main(string[] args)
    {
        if (args.Length == 0 || !Verbs.TryGetValue(args[0], out var verb))
        {
            Console.Error.WriteLine("usage: dotnet run -c Release --project benchmarks/BioNer.Benchmarks -- <verb> [options]");
            foreach (var (name, (help, _)) in Verbs) Console.Error.WriteLine($"  {name,-8} {help}");
            return 2;
        }
        return verb.Run(args[1..]);
    }
}
