using System.CommandLine;
using BioNer.Checkpoints;
using BioNer.Data;
using BioNer.Inference;
using BioNer.IO;

namespace BioNer.Cli.Commands;

/// <summary>
/// <c>bioner predict</c>: annotates a string, stdin, a file (text, JSONL, CoNLL) or a folder of files with a model.
/// One bad file is reported (stderr, file named) and skipped; the others' outputs are still written, atomically, and
/// the exit code is 2 when any file failed.
/// </summary>
internal static class PredictCommand
{
    private static readonly string[] ConllExtensions = [".conll", ".conllu", ".iob", ".iob2", ".bio", ".tsv"];

    /// <summary>Creates the verb with its options.</summary>
    public static Command Create()
    {
        var cmd = new Command("predict", "Recognise entities in text with a fine-tuned model");
        var model = new Option<string>("--model") { Description = "Model folder, hub id or built-in name", Required = true };
        var text = new Argument<string?>("text") { Description = "Text to annotate (or use --input)", Arity = ArgumentArity.ZeroOrOne };
        var input = new Option<string?>("--input") { Description = "Input file, folder of files, or - for stdin" };
        var format = new Option<string>("--format") { Description = "json | jsonl | conll | brat | pubtator | html", DefaultValueFactory = _ => "json" };
        var aggregation = new Option<string>("--aggregation") { Description = "none | simple | first | average | max", DefaultValueFactory = _ => "first" };
        var batch = new Option<int>("--batch-size") { Description = "Windows per forward pass", DefaultValueFactory = _ => 16 };
        var output = new Option<string?>("--out") { Description = "Output file, or folder (one output per input file)" };
        foreach (var o in new Option[] { model, input, format, aggregation, batch, output }) cmd.Options.Add(o);
        var runtime = new RuntimeOption();
        runtime.AddTo(cmd);
        cmd.Arguments.Add(text);
        cmd.SetAction(parse => Run(parse, runtime, new Settings(parse.GetValue(model)!, parse.GetValue(text), parse.GetValue(input),
            EntityFormats.Parse(parse.GetValue(format)!), AggregationStrategies.Parse(parse.GetValue(aggregation)!, "--aggregation"),
            parse.GetValue(batch), parse.GetValue(output)), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return cmd;
    }

    private sealed record Settings(string Model, string? Text, string? Input, EntityFormat Format, AggregationStrategy Aggregation,
        int BatchSize, string? Out);

    private static int Run(ParseResult parse, RuntimeOption runtime, Settings s, TextWriter stdout, TextWriter stderr)
    {
        if (s.Text is not null && s.Input is not null) throw new BioNerException("give either a TEXT argument or --input, not both");
        if (s.Text is null && s.Input is null) throw new BioNerException("nothing to annotate: give a TEXT argument, or --input FILE|FOLDER|- (stdin)");
        if (s.BatchSize < 1) throw new BioNerException($"--batch-size must be at least 1 (got {s.BatchSize})");
        var sources = Sources(s);
        string dir = ModelResolver.Resolve(s.Model, stderr.WriteLine);
        using var pipeline = new NerPipeline(runtime.CreateScorer(parse, dir, stderr.WriteLine), new NerOptions { BatchSize = s.BatchSize });
        bool perFile = s.Out is not null && (Directory.Exists(s.Out) || s.Out.EndsWith('/') || (s.Input is not null && Directory.Exists(s.Input)));
        var all = new List<PredictedDocument>();
        int failed = 0, done = 0;
        foreach (var (name, read) in sources)
        {
            if (sources.Count > 1) Progress(stderr, ++done, sources.Count, name);
            try
            {
                var docs = read();
                var entities = pipeline.Predict(docs.Select(d => d.Text).ToList(), s.Aggregation);
                var predicted = docs.Select((d, i) => new PredictedDocument(d.Id, d.Text, entities[i])).ToList();
                if (perFile) WriteFile(s.Out!, name, predicted, s.Format);
                else all.AddRange(predicted);
            }
            catch (Exception e) when (e is BioNerException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                failed++;
                stderr.WriteLine($"error: {name}: {e.Message} (skipped)");
            }
        }
        if (!perFile)
        {
            string rendered = EntityFormats.Render(all, s.Format);
            if (s.Out is null) stdout.Write(rendered);
            else AtomicFile.WriteAllText(s.Out, rendered);
        }
        if (failed > 0) stderr.WriteLine($"{failed} of {sources.Count} input(s) failed");
        return failed > 0 ? 2 : 0;
    }

    private static void Progress(TextWriter stderr, int done, int total, string name)
    {
        if (ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected) stderr.Write($"\r[{done}/{total}] {Path.GetFileName(name),-60}");
        else stderr.WriteLine($"[{done}/{total}] {name}");
        if (done == total && ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected) stderr.WriteLine();
    }

    private static List<(string Name, Func<List<(string Id, string Text)>> Read)> Sources(Settings s)
    {
        if (s.Text is not null) return [("text", () => [("text", s.Text)])];
        if (s.Input == "-") return [("stdin", () => [("stdin", Console.In.ReadToEnd())])];
        if (Directory.Exists(s.Input))
            return Directory.EnumerateFiles(s.Input!).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)
                .Select(f => (f, (Func<List<(string, string)>>)(() => ReadFile(f)))).ToList();
        if (!File.Exists(s.Input)) throw new BioNerException("input file or folder not found", s.Input);
        return [(s.Input!, () => ReadFile(s.Input!))];
    }

    /// <summary>Documents of one input file: JSONL objects with "text" (or "tokens"), CoNLL sentences, or plain text.</summary>
    private static List<(string Id, string Text)> ReadFile(string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        string stem = Path.GetFileNameWithoutExtension(path);
        if (ext is ".jsonl" or ".ndjson") return ReadJsonl(path, stem);
        if (ConllExtensions.Contains(ext))
            return CorpusIO.Read(path).Sentences.GroupBy(x => x.DocumentId ?? stem)
                .Select(g => (g.Key, string.Join("\n", g.Select(x => string.Join(" ", x.Words))))).ToList();
        return [(stem, File.ReadAllText(path))];
    }

    private static List<(string Id, string Text)> ReadJsonl(string path, string stem)
    {
        var docs = new List<(string, string)>();
        int line = 0;
        foreach (var raw in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(raw)) continue;
            System.Text.Json.JsonElement o;
            try { o = System.Text.Json.JsonDocument.Parse(raw).RootElement; }
            catch (System.Text.Json.JsonException e) { throw new BioNerException($"not JSON: {e.Message}", path, line); }
            string id = o.TryGetProperty("id", out var i) ? i.ToString() : $"{stem}-{docs.Count + 1}";
            if (o.TryGetProperty("text", out var t) && t.ValueKind == System.Text.Json.JsonValueKind.String) docs.Add((id, t.GetString()!));
            else if (o.TryGetProperty("tokens", out var tokens) && tokens.ValueKind == System.Text.Json.JsonValueKind.Array)
                docs.Add((id, string.Join(" ", tokens.EnumerateArray().Select(x => x.GetString()))));
            else throw new BioNerException("field \"text\" (string) or \"tokens\" (array) missing", path, line);
        }
        return docs;
    }

    private static void WriteFile(string outDir, string inputName, List<PredictedDocument> docs, EntityFormat format)
    {
        string stem = Path.GetFileNameWithoutExtension(inputName);
        if (format == EntityFormat.Brat)
        {
            foreach (var d in docs)
            {
                string id = docs.Count == 1 ? stem : d.Id;
                AtomicFile.WriteAllText(Path.Combine(outDir, id + ".txt"), d.Text);
                AtomicFile.WriteAllText(Path.Combine(outDir, id + ".ann"), EntityFormats.Brat(d));
            }
            return;
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, stem + EntityFormats.Extension(format)), EntityFormats.Render(docs, format));
    }
}
