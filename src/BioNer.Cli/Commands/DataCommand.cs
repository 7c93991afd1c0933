using System.CommandLine;
using BioNer.Data;
using BioNer.Data.Craft;
using BioNer.IO;

namespace BioNer.Cli.Commands;

/// <summary>
/// <c>bioner data</c>: corpus preparation. <c>craft</c> converts a CRAFT v5 checkout to six-tag train/dev/test corpora,
/// <c>convert</c> rewrites a corpus in another format/scheme with type renaming (e.g. Crichton's CRAFT-IOB files), and
/// <c>stats</c> describes corpora.
/// </summary>
internal static class DataCommand
{
    /// <summary>Creates the verb with its sub-commands.</summary>
    public static Command Create()
    {
        var cmd = new Command("data", "Convert and inspect corpora (CRAFT v5, CoNLL, JSONL, BRAT)");
        cmd.Subcommands.Add(Craft());
        cmd.Subcommands.Add(Convert());
        cmd.Subcommands.Add(Stats());
        return cmd;
    }

    private static Command Craft()
    {
        var craft = new Option<string>("--craft") { Description = "Checkout of the CRAFT v5 repository (articles/, concept-annotation/)", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder for train/dev/test (.conll and .jsonl) and report.md", Required = true };
        var map = new Option<string>("--map") { Description = "Ontology→tag map, e.g. CHEBI=Chemical,CL=Cell,PR=Protein,NCBITaxon=Taxon,SO=Sequence,GO_CC=Gene (default)" };
        var ext = new Option<bool>("--extensions") { Description = "Use the ONT+extensions annotation sets" };
        var disc = new Option<string>("--discontinuous") { Description = "drop (default) | first-span | extent", DefaultValueFactory = _ => "drop" };
        var priority = new Option<string>("--priority") { Description = "Type priority for identical extents, e.g. Protein,Chemical,Cell,Gene,Sequence,Taxon" };
        var cmd = new Command("craft", "Convert CRAFT v5 (knowtator XML standoff) into six-tag train/dev/test corpora");
        foreach (var o in new Option[] { craft, output, map, ext, disc, priority }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            string dir = p.GetValue(craft)!;
            if (!Directory.Exists(dir)) throw new BioNerException("CRAFT folder not found", dir);
            var options = new CraftOptions
            {
                UseExtensions = p.GetValue(ext),
                Discontinuous = p.GetValue(disc)!.Trim().ToLowerInvariant() switch
                {
                    "drop" => DiscontinuousPolicy.Drop,
                    "first-span" or "first" => DiscontinuousPolicy.FirstSpan,
                    "extent" => DiscontinuousPolicy.Extent,
                    var v => throw new BioNerException($"--discontinuous: unknown policy '{v}' (drop, first-span, extent)"),
                },
            };
            if (p.GetValue(map) is { } m) options = options with { TagMap = CraftOptions.TagMapOf(LabelMap.FromSpec(m, "--map")) };
            if (p.GetValue(priority) is { } pr) options = options with { TypePriority = pr.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) };
            var splits = new CraftConverter(options).Convert(dir);
            string outDir = p.GetValue(output)!;
            foreach (var (name, corpus) in new[] { ("train", splits.Train), ("dev", splits.Dev), ("test", splits.Test) })
            {
                CorpusIO.Write(corpus, Path.Combine(outDir, name + ".conll"), CorpusFormat.Conll);
                CorpusIO.Write(corpus, Path.Combine(outDir, name + ".jsonl"), CorpusFormat.Jsonl);
            }
            string report = splits.Report.ToMarkdown();
            AtomicFile.WriteAllText(Path.Combine(outDir, "report.md"), report);
            var w = p.InvocationConfiguration.Output;
            w.WriteLine($"{(splits.OfficialSplit ? "official" : "fallback")} split: train {splits.Train.Sentences.Count}, dev {splits.Dev.Sentences.Count}, test {splits.Test.Sentences.Count} sentences");
            w.Write(report);
            return 0;
        });
        return cmd;
    }

    private static Command Convert()
    {
        var input = new Option<string>("--in") { Description = "Input corpus", Required = true };
        var output = new Option<string>("--out") { Description = "Output corpus (format from extension or --to)", Required = true };
        var from = new Option<string>("--from") { Description = "Input format: conll | jsonl | brat (default: by extension)" };
        var to = new Option<string>("--to") { Description = "Output format: conll | jsonl | brat (default: by extension)" };
        var inScheme = new Option<string>("--in-scheme") { Description = "Input tagging scheme (default: detected)" };
        var outScheme = new Option<string>("--out-scheme") { Description = "Output tagging scheme (default IOB2)", DefaultValueFactory = _ => "IOB2" };
        var map = new Option<string>("--label-map") { Description = "Rename/drop types: 'craft-iob' (CHEBI→Chemical, CL→Cell, GGP→Protein, GO→Gene, SO→Sequence, Taxon), 'craft-v5', or e.g. CHEBI=Chemical,GO=-" };
        var column = new Option<int?>("--label-column") { Description = "CoNLL label column (0-based; negative counts from the end; default last)" };
        var cmd = new Command("convert", "Rewrite a corpus in another format or tagging scheme, renaming or dropping entity types");
        foreach (var o in new Option[] { input, output, from, to, inScheme, outScheme, map, column }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            var read = new ReadOptions
            {
                Scheme = p.GetValue(inScheme) is { } s ? CorpusIO.ParseScheme(s, "--in-scheme") : null,
                LabelMap = ParseLabelMap(p.GetValue(map)),
                LabelColumn = p.GetValue(column) ?? -1,
            };
            string inPath = p.GetValue(input)!;
            if (!File.Exists(inPath) && !Directory.Exists(inPath)) throw new BioNerException("input not found", inPath);
            var corpus = CorpusIO.Read(inPath, p.GetValue(from) is { } f ? CorpusIO.ParseFormat(f, "--from") : null, read);
            CorpusIO.Write(corpus, p.GetValue(output)!, p.GetValue(to) is { } t ? CorpusIO.ParseFormat(t, "--to") : null,
                new WriteOptions { Scheme = CorpusIO.ParseScheme(p.GetValue(outScheme)!, "--out-scheme") });
            p.InvocationConfiguration.Output.WriteLine($"{corpus.Sentences.Count} sentences, {corpus.TokenCount} tokens written to {p.GetValue(output)}");
            return 0;
        });
        return cmd;
    }

    /// <summary>Named label maps (<c>craft-iob</c>, <c>craft-v5</c>) or an explicit <c>A=B,C=-</c> spec.</summary>
    internal static LabelMap? ParseLabelMap(string? spec) => string.IsNullOrWhiteSpace(spec) ? null : LabelMap.FromSpec(spec);

    private static Command Stats()
    {
        var files = new Argument<string[]>("files") { Description = "Corpus files (CoNLL, JSONL, BRAT)", Arity = ArgumentArity.OneOrMore };
        var map = new Option<string>("--label-map") { Description = "Rename types before counting (craft-iob, craft-v5, or A=B,...)" };
        var cmd = new Command("stats", "Sentences, tokens, entities per type, mention lengths, label distribution, share of O");
        cmd.Arguments.Add(files);
        cmd.Options.Add(map);
        cmd.SetAction(p =>
        {
            var read = new ReadOptions { LabelMap = ParseLabelMap(p.GetValue(map)) };
            foreach (var f in p.GetValue(files)!)
            {
                if (!File.Exists(f) && !Directory.Exists(f)) throw new BioNerException("file not found", f);
                p.InvocationConfiguration.Output.WriteLine(CorpusStats.Of(CorpusIO.Read(f, null, read), f).ToMarkdown());
            }
            return 0;
        });
        return cmd;
    }
}
