using System.CommandLine;
using BioNer.Augmentation;
using BioNer.Data;

namespace BioNer.Cli.Commands;

/// <summary>
/// <c>bioner augment</c>: writes an augmented training set (Dai &amp; Adel 2020 mention replacement, label-wise token
/// replacement, shuffle within segments, or ontology synonym replacement), reproducible from its seed.
/// </summary>
internal static class AugmentCommand
{
    private static readonly Option<string> Input = new("--in") { Description = "Training corpus to augment (format from the extension)", Required = true };
    private static readonly Option<string> Output = new("--out") { Description = "Where to write the augmented corpus", Required = true };
    private static readonly Option<string> Method = new("--method")
    {
        Description = $"Augmentation method: {string.Join(", ", Augmenters.Methods)}",
        DefaultValueFactory = _ => "mention-replacement",
    };
    private static readonly Option<double> Ratio = new("--ratio") { Description = "Probability that a mention/token/segment is changed", DefaultValueFactory = _ => 0.2 };
    private static readonly Option<string[]> Terms = new("--terms")
    {
        Description = "Term sources: TAG=file.obo[:FILTER], TAG=list.txt, a folder of TAG.txt lists, or 'harvest' (training mentions)",
        AllowMultipleArgumentsPerToken = true,
    };
    private static readonly Option<int> Seed = new("--seed") { Description = "Random seed (same seed, same output)", DefaultValueFactory = _ => 42 };
    private static readonly Option<int> Copies = new("--copies") { Description = "Augmented copies per sentence", DefaultValueFactory = _ => 1 };
    private static readonly Option<bool> Concat = new("--concat") { Description = "Write the original corpus followed by the augmented copies" };
    private static readonly Option<bool> DropUnchanged = new("--drop-unchanged") { Description = "Leave out copies in which nothing changed" };

    /// <summary>Creates the verb with its options.</summary>
    public static Command Create()
    {
        var cmd = new Command("augment", "Augment a training corpus (mention replacement from ontology terms, LwTR, SiS, synonyms)");
        foreach (var o in new Option[] { Input, Output, Method, Ratio, Terms, Seed, Copies, Concat, DropUnchanged }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var options = new AugmentationOptions
            {
                Ratio = parse.GetValue(Ratio),
                Seed = parse.GetValue(Seed),
                Copies = parse.GetValue(Copies),
                KeepUnchanged = !parse.GetValue(DropUnchanged),
            };
            options.Validate();
            return Run(parse.GetValue(Input)!, parse.GetValue(Output)!, parse.GetValue(Method)!, options,
                parse.GetValue(Terms) ?? [], parse.GetValue(Concat), parse.InvocationConfiguration.Output);
        });
        return cmd;
    }

    private static int Run(string inPath, string outPath, string method, AugmentationOptions options, string[] sources,
        bool concat, TextWriter stdout)
    {
        if (!Augmenters.Methods.Contains(method))
            throw new BioNerException($"--method '{method}' is unknown; use one of {string.Join(", ", Augmenters.Methods)}");
        var corpus = CorpusIO.Read(inPath);
        var lexicon = LoadTerms(sources, corpus, stdout);
        var result = Augmenters.Create(method, options, lexicon).Augment(corpus);
        var written = concat ? result.ConcatenatedWith(corpus) : result.Augmented;
        CorpusIO.Write(written, outPath);
        stdout.Write(result.Report.ToTable());
        stdout.WriteLine($"wrote {written.Sentences.Count} sentences to {outPath}");
        return 0;
    }

    /// <summary>Loads every --terms source; null when none was given (methods that need terms then refuse to run).</summary>
    private static TermLexicon? LoadTerms(string[] sources, Corpus corpus, TextWriter stdout)
    {
        if (sources.Length == 0) return null;
        var lexicon = new TermLexicon();
        foreach (string source in sources)
            stdout.WriteLine($"{lexicon.AddSource(source, corpus)} new terms from {source}");
        foreach (string type in corpus.EntityTypes().Where(t => lexicon.Terms(t).Count == 0))
            stdout.WriteLine($"warning: no terms for type {type}; its mentions stay as they are");
        return lexicon;
    }
}
