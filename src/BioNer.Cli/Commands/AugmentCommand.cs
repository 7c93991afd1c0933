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
    /// <summary>Creates the verb with its options.</summary>
    public static Command Create()
    {
        var cmd = new Command("augment", "Augment a training corpus (mention replacement from ontology terms, LwTR, SiS, synonyms)");
        var input = new Option<string>("--in") { Description = "Training corpus to augment (format from the extension)", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the augmented corpus", Required = true };
        var method = new Option<string>("--method")
        {
            Description = $"Augmentation method: {string.Join(", ", Augmenters.Methods)}",
            DefaultValueFactory = _ => "mention-replacement",
        };
        var ratio = new Option<double>("--ratio") { Description = "Probability that a mention/token/segment is changed", DefaultValueFactory = _ => 0.2 };
        var terms = new Option<string[]>("--terms")
        {
            Description = "Term sources: TAG=file.obo[:FILTER], TAG=list.txt, a folder of TAG.txt lists, or 'harvest' (training mentions)",
            AllowMultipleArgumentsPerToken = true,
        };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same output)", DefaultValueFactory = _ => 42 };
        var copies = new Option<int>("--copies") { Description = "Augmented copies per sentence", DefaultValueFactory = _ => 1 };
        var concat = new Option<bool>("--concat") { Description = "Write the original corpus followed by the augmented copies" };
        var dropUnchanged = new Option<bool>("--drop-unchanged") { Description = "Leave out copies in which nothing changed" };
        foreach (var o in new Option[] { input, output, method, ratio, terms, seed, copies, concat, dropUnchanged }) cmd.Options.Add(o);

        cmd.SetAction(parse =>
        {
            var options = new AugmentationOptions
            {
                Ratio = parse.GetValue(ratio),
                Seed = parse.GetValue(seed),
                Copies = parse.GetValue(copies),
                KeepUnchanged = !parse.GetValue(dropUnchanged),
            };
            options.Validate();
            return Run(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(method)!, options,
                parse.GetValue(terms) ?? [], parse.GetValue(concat), parse.InvocationConfiguration.Output);
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
