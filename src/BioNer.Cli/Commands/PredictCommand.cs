using System.CommandLine;
using BioNer.Batch;
using BioNer.Checkpoints;
using BioNer.Inference;
using BioNer.Literature;

namespace BioNer.Cli.Commands;

/// <summary>
/// <c>bioner predict</c>: annotates a string, stdin, a file, or many files and folders of the literature (PubMed XML,
/// BioC XML/JSON, PubTator, text, JSONL, CoNLL; plain or gzip) with a model. With a folder <c>--out</c> it is a batch
/// run: one output per input file, written atomically with a manifest, <c>--shard K/N|auto</c> to split the work over
/// Slurm array tasks, a rerun skipping what is complete (<see cref="BatchRunner"/>). One bad file is reported (file and
/// position) and skipped; the others are still written, and the exit code is 2 when any file failed.
/// </summary>
internal static class PredictCommand
{
    private static readonly Option<string> Model = new("--model") { Description = "Model folder, hub id or built-in name", Required = true };
    private static readonly Argument<string?> Text = new("text") { Description = "Text to annotate (or use --input)", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<string[]> Input = new("--input") { Description = "Input files or folders (searched recursively), or - for stdin", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<string> InputFormatOption = new("--input-format") { Description = "auto | pubmed | bioc | bioc-json | pubtator | text | jsonl | jsonl-tokens | conll", DefaultValueFactory = _ => "auto" };
    private static readonly Option<string> Format = new("--format") { Description = "json | jsonl | pubtator | bioc | bioc-json | conll | brat | html (word-level inputs keep their own format)", DefaultValueFactory = _ => "json" };
    private static readonly Option<string?> Offsets = new("--offsets") { Description = "Offset unit read and written: codepoints | utf16 | bytes (default: codepoints for BioC and PubTator, as NCBI's tools; utf16 for JSON)" };
    private static readonly Option<string> Aggregation = new("--aggregation") { Description = "none | simple | first | average | max", DefaultValueFactory = _ => "first" };
    private static readonly Option<int> Batch = new("--batch-size") { Description = "Windows per forward pass", DefaultValueFactory = _ => 16 };
    private static readonly Option<string?> Output = new("--out") { Description = "Output file, or folder (one output per input file, with manifests: a batch run)" };
    private static readonly Option<string?> ShardOption = new("--shard") { Description = "K/N (K from 0 to N-1) or auto (Slurm array variables): this task's share of a batch run" };
    private static readonly Option<string> Include = new("--include") { Description = "File-name pattern for folder inputs (e.g. '*.xml.gz'; checksum files like .md5 are always skipped)", DefaultValueFactory = _ => "*" };
    private static readonly Option<string?> InputRoot = new("--input-root") { Description = "Folder the outputs' paths are made relative to (default: each --input folder; a file input: its name alone)" };
    private static readonly Option<string?> Decode = new("--decode") { Description = "Word labels: argmax (per word, as HF's pipeline) | constrained (IOB2 Viterbi: no orphan I-; word-level --aggregation; with a CRF head, the CRF's Viterbi); default: constrained for a CRF head, else argmax" };
    private static readonly Option<bool> Redo = new("--redo") { Description = "Annotate every input of a batch run again, even where a complete output exists" };

    /// <summary>Creates the verb with its options.</summary>
    public static Command Create()
    {
        var cmd = new Command("predict", "Recognise entities in text or in files of the literature with a fine-tuned model");
        foreach (var o in new Option[] { Model, Input, InputFormatOption, Format, Offsets, Aggregation, Decode, Batch, Output, ShardOption, Include, InputRoot, Redo }) cmd.Options.Add(o);
        RuntimeOption.AddTo(cmd);
        cmd.Arguments.Add(Text);
        cmd.SetAction(parse => Run(parse, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return cmd;
    }

    private static int Run(ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        string? text = parse.GetValue(Text);
        var inputs = parse.GetValue(Input) ?? [];
        if (text is not null && inputs.Length > 0) throw new BioNerException("give either a TEXT argument or --input, not both");
        if (text is null && inputs.Length == 0) throw new BioNerException("nothing to annotate: give a TEXT argument, or --input FILE|FOLDER|- (stdin)");
        int batchSize = parse.GetValue(Batch);
        if (batchSize < 1) throw new BioNerException($"--batch-size must be at least 1 (got {batchSize})");
        var format = EntityFormats.Parse(parse.GetValue(Format)!);
        InputFormat? inputFormat = parse.GetValue(InputFormatOption) is { } f && f.Trim().ToLowerInvariant() != "auto" ? InputFiles.Parse(f) : null;
        var unit = parse.GetValue(Offsets) is { } o ? Literature.Offsets.Parse(o)
            : format is EntityFormat.BioC or EntityFormat.BioCJson or EntityFormat.Pubtator ? OffsetUnit.CodePoints : OffsetUnit.Utf16;
        var strategy = AggregationStrategies.Parse(parse.GetValue(Aggregation)!, "--aggregation");
        bool? constrained = parse.GetValue(Decode) is { } decode ? ConstrainedDecoding.ParseMode(decode) : null;
        if (constrained == true) ConstrainedDecoding.RequireWordLevel(strategy);
        string? outPath = parse.GetValue(Output);
        string? shardSpec = parse.GetValue(ShardOption);
        bool batch = outPath is not null && (Directory.Exists(outPath) || outPath.EndsWith('/') || inputs.Length > 1
                                             || inputs.Any(Directory.Exists) || shardSpec is not null);
        if (!batch && (shardSpec is not null || parse.GetValue(Redo))) throw new BioNerException("--shard and --redo belong to batch runs: give --out a folder");
        if (!batch && (inputs.Length > 1 || inputs.Any(Directory.Exists)))
            throw new BioNerException("several inputs or a folder make a batch run: give --out a folder (one output per input file)");
        if (batch && inputs.Contains("-")) throw new BioNerException("--input - (stdin) cannot be part of a batch run; give files or folders");
        var shard = shardSpec is null ? Shard.All : Shard.Parse(shardSpec);
        // Plan (and so check every input exists) before the model loads: a typo fails in a second, not after loading.
        var plan = batch ? BatchPlan.Create(inputs, shard.Count, outPath, parse.GetValue(Include)!, parse.GetValue(InputRoot)) : null;
        if (!batch && inputs.Length == 1 && inputs[0] != "-" && !File.Exists(inputs[0])) throw new BioNerException("input file or folder not found", inputs[0]);

        string dir = ModelResolver.Resolve(parse.GetValue(Model)!, stderr.WriteLine);
        var scorer = RuntimeOption.CreateScorer(parse, dir, stderr.WriteLine, bf16ByDefault: true);
        using var pipeline = new NerPipeline(scorer, new NerOptions { BatchSize = batchSize, Constrained = constrained });
        var annotator = new DocumentAnnotator(pipeline, strategy);
        if (plan is not null)
        {
            var settings = new BatchSettings
            {
                Model = parse.GetValue(Model)!, ModelSha256 = Manifests.HashModel(dir), Format = format.ToString().ToLowerInvariant(),
                InputFormat = inputFormat?.ToString().ToLowerInvariant() ?? "auto", Offsets = unit.ToString().ToLowerInvariant(),
                Aggregation = strategy.ToString().ToLowerInvariant(), Runtime = RuntimeOption.Describe(parse, scorer),
                Decode = ConstrainedDecoding.Effective(constrained, pipeline.Crf, strategy) ? "constrained" : "argmax",
            };
            var runner = new BatchRunner(annotator, settings, stderr)
            {
                Format = format, InputFormat = inputFormat, Offsets = unit, Redo = parse.GetValue(Redo),
            };
            var result = runner.Run(plan, shard, outPath!);
            if (result.Failed.Count > 0) stderr.WriteLine($"{result.Failed.Count} input(s) failed; `bioner batch status {outPath}` lists them");
            return result.Failed.Count > 0 ? 2 : 0;
        }
        Single(annotator, text, inputs.FirstOrDefault(), inputFormat, format, unit, outPath, stdout);
        return 0;
    }

    // One text, stdin or one file, to stdout or one file.
    private static void Single(DocumentAnnotator annotator, string? text, string? input, InputFormat? inputFormat, EntityFormat format,
        OffsetUnit unit, string? outPath, TextWriter stdout)
    {
        bool inMemory = input is null or "-";
        var f = inMemory ? InputFormat.Text : inputFormat ?? InputFiles.Detect(input!);
        if (InputFiles.IsWordLevel(f))
        {
            string target = outPath ?? Path.Combine(Path.GetTempPath(), $"bioner-predict-{Guid.NewGuid():N}{(f == InputFormat.Conll ? ".conll" : ".jsonl")}");
            try
            {
                WordLevel.AnnotateFile(annotator.Pipeline, input!, f, target);
                if (outPath is null) stdout.Write(File.ReadAllText(target));
            }
            finally { if (outPath is null) File.Delete(target); }
            return;
        }
        using var reader = inMemory
            ? DocumentReader.FromText(text ?? Console.In.ReadToEnd(), input is null ? "text" : "stdin")
            : DocumentReader.Open(input!, f, unit);
        if (outPath is null) Write(DocumentWriters.Create(format, stdout, reader.Header, unit));
        else DocumentWriters.WriteAtomically(outPath, format, reader.Header, unit, Write);

        void Write(IDocumentWriter writer)
        {
            foreach (var d in annotator.Annotate(reader.Documents)) writer.Write(d);
            writer.Complete();
        }
    }
}
