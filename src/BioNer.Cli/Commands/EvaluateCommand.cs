using System.CommandLine;
using System.Globalization;
using BioNer.Data;
using BioNer.Evaluation;

namespace BioNer.Cli.Commands;

/// <summary>
/// <c>bioner evaluate</c>: scores predicted labels against gold labels exactly as seqeval does (entity-level P/R/F1
/// per type and averaged, token accuracy). Labels are compared as written (no scheme conversion), so the numbers are
/// the ones seqeval prints for the same files.
/// </summary>
internal static class EvaluateCommand
{
    private static readonly Option<string> Gold = new("--gold") { Description = "Gold corpus (CoNLL, JSONL or BRAT); a 'token gold pred' CoNLL file when --pred is omitted" };
    private static readonly Option<string> Pred = new("--pred") { Description = "Predicted corpus with the same sentences and tokens" };
    private static readonly Option<string> Model = new("--model") { Description = "Score this model (folder, hub id, built-in) on --gold instead of reading --pred" };
    private static readonly Option<string> Tokenizer = new("--tokenizer") { Description = "Tokenizer folder for a --model checkpoint that has none" };
    private static readonly Option<string> Format = new("--format") { Description = "conll | jsonl | brat (default: from the file extension)" };
    private static readonly Option<string> Mode = new("--mode") { Description = "default (conlleval-compatible) | strict", DefaultValueFactory = _ => "default" };
    private static readonly Option<string> Scheme = new("--scheme") { Description = "Tagging scheme for strict mode: IOB1, IOB2, IOE1, IOE2, IOBES, BILOU (default: detected)" };
    private static readonly Option<bool> Json = new("--json") { Description = "Print the report as JSON" };
    private static readonly Option<int> Digits = new("--digits") { Description = "Decimals in the text report", DefaultValueFactory = _ => 4 };

    /// <summary>Creates the verb with its options.</summary>
    public static Command Create()
    {
        var cmd = new Command("evaluate", "Entity-level precision/recall/F1 (seqeval) and token accuracy of predictions against gold labels");
        foreach (var o in new Option[] { Gold, Pred, Model, Tokenizer, Format, Mode, Scheme, Json, Digits }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            string gold = parse.GetValue(Gold) ?? EmbeddedDefault.Resolve().EvalExample;
            var (goldCorpus, predCorpus) = parse.GetValue(Model) is { } model
                ? Predict(model, parse.GetValue(Tokenizer), gold, parse.GetValue(Format), parse.InvocationConfiguration.Output)
                : Read(gold, parse.GetValue(Pred), parse.GetValue(Format));
            var mode = ParseMode(parse.GetValue(Mode)!);
            TaggingScheme? scheme = parse.GetValue(Scheme) is { } s ? CorpusIO.ParseScheme(s) : null;
            var result = SeqevalMetrics.Evaluate(goldCorpus.Sentences.Select(x => x.Labels).ToList(),
                predCorpus.Sentences.Select(x => x.Labels).ToList(), mode, scheme);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(Json)) { output.WriteLine(result.Report.ToJson()); return 0; }
            output.Write(result.Report.ToText(parse.GetValue(Digits)));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\naccuracy: {result.Accuracy:0.0000}  precision: {result.Precision:0.0000}  recall: {result.Recall:0.0000}  f1: {result.F1:0.0000}  " +
                $"({goldCorpus.Sentences.Count} sentences, {result.Counts.Tokens} tokens, mode {mode.ToString().ToLowerInvariant()})"));
            return 0;
        });
        return cmd;
    }

    /// <summary>Labels <paramref name="gold"/>'s words with <paramref name="model"/> (the training loop's scorer) and prints the loss.</summary>
    private static (Corpus Gold, Corpus Pred) Predict(string model, string? tokenizer, string gold, string? format, TextWriter output)
    {
        Require(gold);
        var g = CorpusIO.Read(gold, format is null ? null : CorpusIO.ParseFormat(format));
        if (g.Sentences.Count == 0) throw new BioNerException("no sentences in the gold file", gold);
        var outcome = BioNer.Training.ModelEvaluator.Evaluate(model, g, tokenizer);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model {model}: loss {outcome.Loss:0.0000}"));
        var pred = g.Sentences.Select((s, i) => s with { Labels = outcome.Predictions[i] }).ToList();
        return (g, new Corpus(pred, g.Source));
    }

    private static (Corpus Gold, Corpus Pred) Read(string gold, string? pred, string? format)
    {
        var raw = new ReadOptions { RawLabels = true };
        CorpusFormat? fmt = format is null ? null : CorpusIO.ParseFormat(format);
        Require(gold);
        if (pred is null)
        {
            if ((fmt ?? CorpusIO.DetectFormat(gold)) != CorpusFormat.Conll)
                throw new BioNerException("--pred is required unless --gold is a 'token gold pred' CoNLL file");
            return ConllReader.ReadGoldAndPredicted(gold, options: raw);
        }
        Require(pred);
        var g = CorpusIO.Read(gold, fmt, raw);
        var p = CorpusIO.Read(pred, fmt, raw);
        if (g.Sentences.Count == 0) throw new BioNerException("no sentences in the gold file", gold);
        CheckAligned(g, p, pred);
        return (g, p);
    }

    private static void Require(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw new BioNerException("file not found", path);
    }

    // Names the predicted file's line, which the metric layer (plain label lists) cannot know.
    private static void CheckAligned(Corpus gold, Corpus pred, string predPath)
    {
        if (gold.Sentences.Count != pred.Sentences.Count)
            throw new BioNerException($"{pred.Sentences.Count} sentences, but the gold file {gold.Source} has {gold.Sentences.Count}", predPath);
        for (int i = 0; i < gold.Sentences.Count; i++)
        {
            var (g, p) = (gold.Sentences[i], pred.Sentences[i]);
            if (g.Count != p.Count)
                throw new BioNerException($"sentence {i + 1} has {p.Count} tokens, but gold has {g.Count} (gold line {g.SourceLine})", predPath, p.SourceLine);
        }
    }

    private static EvaluationMode ParseMode(string mode) => mode.Trim().ToLowerInvariant() switch
    {
        "default" => EvaluationMode.Default,
        "strict" => EvaluationMode.Strict,
        _ => throw new BioNerException($"--mode: unknown mode '{mode}' (default, strict)"),
    };

}
