namespace BioNer.Cli.Commands;

/// <summary>
/// Locates the bundled sample corpus (samples/craft-sample) that the no-argument commands use: next to the binary
/// (copied at build time) or, when running from a source checkout, in the repository's samples/ folder.
/// </summary>
internal static class EmbeddedDefault
{
    /// <summary>Epochs of <c>bioner train</c> on the bundled sample with the small-encoder recipe (4 leave Gene, Cell and
    /// Chemical, with 9–29 dev mentions each, at or near F1 0).</summary>
    public const int SampleEpochs = 10;

    /// <summary>Paths of the bundled training and dev files.</summary>
    public sealed record Paths(string Train, string Dev, string Terms)
    {
        /// <summary>A conlleval-style <c>token gold pred</c> file for <c>bioner evaluate</c> with no arguments.</summary>
        public string EvalExample => Path.Combine(Path.GetDirectoryName(Train)!, "..", "eval-example.conll");
    }

    /// <summary>Finds the sample folder or throws a <see cref="BioNerException"/> saying where it was looked for.</summary>
    public static Paths Resolve()
    {
        var candidates = new List<string> { Path.Combine(AppContext.BaseDirectory, "samples", "craft-sample") };
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            candidates.Add(Path.Combine(dir.FullName, "samples", "craft-sample"));
        foreach (var c in candidates)
            if (File.Exists(Path.Combine(c, "train.conll")) && File.Exists(Path.Combine(c, "dev.conll")))
                return new Paths(Path.Combine(c, "train.conll"), Path.Combine(c, "dev.conll"), Path.Combine(c, "terms"));
        throw new BioNerException($"bundled sample corpus not found (looked in {string.Join(", ", candidates.Take(2))}); pass --train and --dev");
    }
}
