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
    private static readonly Option<string> CraftDir = new("--craft") { Description = "Checkout of the CRAFT v5 repository (articles/, concept-annotation/)", Required = true };
    private static readonly Option<string> CraftOut = new("--out") { Description = "Output folder for train/dev/test (.conll and .jsonl) and report.md", Required = true };
    private static readonly Option<string> CraftMap = new("--map") { Description = "Ontology→tag map, e.g. CHEBI=Chemical,CL=Cell,PR=Protein,NCBITaxon=Taxon,SO=Sequence,GO_CC=Gene (default)" };
    private static readonly Option<bool> CraftExtensions = new("--extensions") { Description = "Use the ONT+extensions annotation sets" };
    private static readonly Option<string> CraftDiscontinuous = new("--discontinuous") { Description = "drop (default) | first-span | extent", DefaultValueFactory = _ => "drop" };
    private static readonly Option<string> CraftPriority = new("--priority") { Description = "Type priority for identical extents, e.g. Protein,Chemical,Cell,Gene,Sequence,Taxon" };

    private static readonly Option<string> ConvertIn = new("--in") { Description = "Input corpus", Required = true };
    private static readonly Option<string> ConvertOut = new("--out") { Description = "Output corpus (format from extension or --to)", Required = true };
    private static readonly Option<string> ConvertFrom = new("--from") { Description = "Input format: conll | jsonl | brat (default: by extension)" };
    private static readonly Option<string> ConvertTo = new("--to") { Description = "Output format: conll | jsonl | brat (default: by extension)" };
    private static readonly Option<string> ConvertInScheme = new("--in-scheme") { Description = "Input tagging scheme (default: detected)" };
    private static readonly Option<string> ConvertOutScheme = new("--out-scheme") { Description = "Output tagging scheme (default IOB2)", DefaultValueFactory = _ => "IOB2" };
    private static readonly Option<string> ConvertLabelMap = new("--label-map") { Description = "Rename/drop types: 'craft-iob' (CHEBI→Chemical, CL→Cell, GGP→Protein, GO→Gene, SO→Sequence, Taxon), 'craft-v5', or e.g. CHEBI=Chemical,GO=-" };
    private static readonly Option<int?> ConvertLabelColumn = new("--label-column") { Description = "CoNLL label column (0-based; negative counts from the end; default last)" };

    private static readonly Argument<string[]> StatsFiles = new("files") { Description = "Corpus files (CoNLL, JSONL, BRAT)", Arity = ArgumentArity.OneOrMore };
    private static readonly Option<string> StatsLabelMap = new("--label-map") { Description = "Rename types before counting (craft-iob, craft-v5, or A=B,...)" };

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
        var cmd = new Command("craft", "Convert CRAFT v5 (knowtator XML standoff) into six-tag train/dev/test corpora");
        foreach (var o in new Option[] { CraftDir, CraftOut, CraftMap, CraftExtensions, CraftDiscontinuous, CraftPriority }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            string dir = p.GetValue(CraftDir)!;
            if (!Directory.Exists(dir)) throw new BioNerException("CRAFT folder not found", dir);
            var options = new CraftOptions
            {
                UseExtensions = p.GetValue(CraftExtensions),
                Discontinuous = p.GetValue(CraftDiscontinuous)!.Trim().ToLowerInvariant() switch
                {
                    "drop" => DiscontinuousPolicy.Drop,
                    "first-span" or "first" => DiscontinuousPolicy.FirstSpan,
                    "extent" => DiscontinuousPolicy.Extent,
                    var v => throw new BioNerException($"--discontinuous: unknown policy '{v}' (drop, first-span, extent)"),
                },
            };
            if (p.GetValue(CraftMap) is { } m) options = options with { TagMap = CraftOptions.TagMapOf(LabelMap.FromSpec(m, "--map")) };
            if (p.GetValue(CraftPriority) is { } pr) options = options with { TypePriority = pr.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) };
            var splits = new CraftConverter(options).Convert(dir);
            string outDir = p.GetValue(CraftOut)!;
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
        var cmd = new Command("convert", "Rewrite a corpus in another format or tagging scheme, renaming or dropping entity types");
        foreach (var o in new Option[] { ConvertIn, ConvertOut, ConvertFrom, ConvertTo, ConvertInScheme, ConvertOutScheme, ConvertLabelMap, ConvertLabelColumn }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            var read = new ReadOptions
            {
                Scheme = p.GetValue(ConvertInScheme) is { } s ? CorpusIO.ParseScheme(s, "--in-scheme") : null,
                LabelMap = ParseLabelMap(p.GetValue(ConvertLabelMap)),
                LabelColumn = p.GetValue(ConvertLabelColumn) ?? -1,
            };
            string inPath = p.GetValue(ConvertIn)!;
            if (!File.Exists(inPath) && !Directory.Exists(inPath)) throw new BioNerException("input not found", inPath);
            var corpus = CorpusIO.Read(inPath, p.GetValue(ConvertFrom) is { } f ? CorpusIO.ParseFormat(f, "--from") : null, read);
            CorpusIO.Write(corpus, p.GetValue(ConvertOut)!, p.GetValue(ConvertTo) is { } t ? CorpusIO.ParseFormat(t, "--to") : null,
                new WriteOptions { Scheme = CorpusIO.ParseScheme(p.GetValue(ConvertOutScheme)!, "--out-scheme") });
            p.InvocationConfiguration.Output.WriteLine($"{corpus.Sentences.Count} sentences, {corpus.TokenCount} tokens written to {p.GetValue(ConvertOut)}");
            return 0;
        });
        return cmd;
    }

    /// <summary>Named label maps (<c>craft-iob</c>, <c>craft-v5</c>) or an explicit <c>A=B,C=-</c> spec.</summary>
    internal static LabelMap? ParseLabelMap(string? spec) => string.IsNullOrWhiteSpace(spec) ? null : LabelMap.FromSpec(spec);

    private static Command Stats()
    {
        var cmd = new Command("stats", "Sentences, tokens, entities per type, mention lengths, label distribution, share of O");
        cmd.Arguments.Add(StatsFiles);
        cmd.Options.Add(StatsLabelMap);
        cmd.SetAction(p =>
        {
            var read = new ReadOptions { LabelMap = ParseLabelMap(p.GetValue(StatsLabelMap)) };
            foreach (var f in p.GetValue(StatsFiles)!)
            {
                if (!File.Exists(f) && !Directory.Exists(f)) throw new BioNerException("file not found", f);
                p.InvocationConfiguration.Output.WriteLine(CorpusStats.Of(CorpusIO.Read(f, null, read), f).ToMarkdown());
            }
            return 0;
        });
        return cmd;
    }
}
