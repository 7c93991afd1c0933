using System.CommandLine;
using BioNer.Checkpoints;
using BioNer.Modeling;
using BioNer.Tokenization;

namespace BioNer.Cli.Commands;

/// <summary><c>bioner info MODEL</c>: architecture, parameter count, labels and tokenizer of a model folder, hub id or built-in.</summary>
internal static class InfoCommand
{
    private static readonly Argument<string> Model = new("model") { Description = "Model folder, hub id (owner/name) or built-in name (minilm)" };

    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var cmd = new Command("info", "Show a model's architecture, parameter count, labels and tokenizer");
        cmd.Arguments.Add(Model);
        cmd.SetAction(p =>
        {
            var w = p.InvocationConfiguration.Output;
            string dir = ModelResolver.Resolve(p.GetValue(Model)!, m => w.WriteLine(m));
            using var classifier = CheckpointLoader.Load(dir, log: _ => { });
            var tokenizer = HfTokenizer.Load(dir);
            w.WriteLine($"folder: {dir}");
            w.WriteLine(ModelSummary.Of(classifier).ToString());
            w.WriteLine($"tokenizer: {tokenizer.Kind}, vocabulary {tokenizer.VocabSize}, max length {tokenizer.ModelMaxLength}" +
                        (tokenizer.Kind == TokenizerKind.WordPiece ? $", {(tokenizer.Lowercase ? "uncased" : "cased")}" : ""));
            return 0;
        });
        return cmd;
    }
}
