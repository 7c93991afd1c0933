using System.CommandLine;
using System.CommandLine.Help;
using BioNer.Cli.Commands;

namespace BioNer.Cli;

/// <summary>Entry point of the <c>bioner</c> command: one System.CommandLine verb per class in Commands/.</summary>
public static class Program
{
    /// <summary>The command's name in help and usage lines, however it is started.</summary>
    public const string Name = "bioner";

    /// <summary>
    /// Builds the root command with every verb; kept separate from <see cref="Main"/> so tests can invoke it. Not a
    /// <see cref="RootCommand"/>: that takes its name from the executable, so help said <c>BioNer.Cli</c> (the assembly)
    /// under <c>./bioner</c> and <c>dotnet BioNer.Cli.dll</c>, and the test host's name in tests. It carries the same
    /// help and version options.
    /// </summary>
    public static Command BuildRoot()
    {
        var root = new Command(Name, "BioNer: biomedical named-entity recognition with RoBERTa/BERT in .NET");
        root.Options.Add(new HelpOption());
        root.Options.Add(new VersionOption());
        foreach (var verb in Verbs()) root.Subcommands.Add(verb);
        return root;
    }

    // One line per verb; each class owns its options and maps them to a library call.
    private static IEnumerable<Command> Verbs()
    {
        yield return TrainCommand.Create();
        yield return PretrainCommand.Create();
        yield return EvaluateCommand.Create();
        yield return AugmentCommand.Create();
        yield return DataCommand.Create();
        yield return InfoCommand.Create();
        yield return TranslateCommand.Create();
        yield return PredictCommand.Create();
        yield return BatchCommand.Create();
        yield return ServeCommand.Create();
        yield return ExportCommand.Create();
    }

    /// <summary>Parses the command line and runs the chosen verb; returns the process exit code (2 = bad input).</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the CLI with the given writers (tests capture output this way).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = BuildRoot();
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return root.Parse(args).Invoke(config);
        }
        catch (BioNerException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (IsMissingLibTorch(e))
        {
            // A bridge that is there but needs a newer libstdc++ is not an ONNX-only build: say which it is.
            stderr.WriteLine($"error: {BioNer.Native.LibTorchBridge.DescribeLoadFailure(e) ?? MissingLibTorchMessage}");
            return 2;
        }
    }

    /// <summary>What a build without libtorch (the OnnxServe publish profile) says when a verb needs TorchSharp.</summary>
    internal const string MissingLibTorchMessage =
        "libtorch is not part of this build (an ONNX-only publish, src/BioNer.Cli/Properties/PublishProfiles/OnnxServe.pubxml): " +
        "predict and serve work with --runtime onnx or onnx-int8 on a folder written by `bioner export onnx`; train, evaluate a " +
        "model, export and --runtime torch need the full build";

    /// <summary>
    /// True when <paramref name="e"/> (or an exception inside it: TorchSharp's static constructor wraps it in a
    /// <see cref="TypeInitializationException"/>) is the native TorchSharp bridge failing to load.
    /// </summary>
    internal static bool IsMissingLibTorch(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is DllNotFoundException && x.Message.Contains("LibTorchSharp", StringComparison.Ordinal)) return true;
        return false;
    }
}
