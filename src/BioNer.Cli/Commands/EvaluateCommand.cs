using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BioNer.Checkpoints;
using BioNer.Data;
using BioNer.Evaluation;
using BioNer.Inference;

namespace BioNer.Cli.Commands;

/// <summary>
/// <c>bioner evaluate</c>: entity-level P/R/F1 (seqeval) and token accuracy. Either of two label files (<c>--gold</c>
/// + <c>--pred</c>, or one <c>token gold pred</c> file), compared as written (no scheme conversion) so the numbers are
/// the ones seqeval prints; or a model (<c>--model</c>, any runtime) scored on a labelled corpus (<c>--data</c>)
/// through the decoder training uses for its dev set, as <c>run_ner.py --do_eval --do_predict</c> without training.
/// </summary>
internal static class EvaluateCommand
{
    private static readonly Option<string> Gold = new("--gold", "--data") { Description = "Labelled corpus (CoNLL, JSONL or BRAT); a 'token gold pred' CoNLL file when neither --pred nor --model is given" };
    private static readonly Option<string> Pred = new("--pred") { Description = "Predicted corpus with the same sentences and tokens" };
    private static readonly Option<string> Model = new("--model") { Description = "Score this model (folder, hub id, built-in, or a 'bioner export onnx' folder) on --data" };
    private static readonly Option<string> Tokenizer = new("--tokenizer") { Description = "Tokenizer folder for a --model checkpoint that has none" };
    private static readonly Option<string> Format = new("--format") { Description = "conll | jsonl | brat (default: from the file extension or its content)" };
    private static readonly Option<string> LabelMapOpt = new("--label-map") { Description = "Rename/drop gold types before scoring: craft-iob, craft-v5, or e.g. GGP=Protein,GO=-" };
    private static readonly Option<string> Mode = new("--mode") { Description = "default (conlleval-compatible) | strict", DefaultValueFactory = _ => "default" };
    private static readonly Option<string> Scheme = new("--scheme") { Description = "Tagging scheme for strict mode: IOB1, IOB2, IOE1, IOE2, IOBES, BILOU (default: detected)" };
    private static readonly Option<string?> Decode = new("--decode") { Description = "Word labels with --model: argmax (per word, as run_ner.py) | constrained (IOB2 Viterbi: no orphan I-; with a CRF head, the CRF's Viterbi); default: as the training run scored (a CRF head: constrained)" };
    private static readonly Option<string> Aggregation = new("--aggregation") { Description = "Word label from its sub-tokens with --model: first | average | max", DefaultValueFactory = _ => "first" };
    private static readonly Option<int?> Batch = new("--batch-size") { Description = "Sentences per forward pass with --model (default: the training run's --eval-batch-size, else 8)" };
    private static readonly Option<int?> MaxLength = new("--max-length") { Description = "Positions per window with --model, specials included (default: the training run's --max-length, else the model's maximum)" };
    private static readonly Option<int> Stride = new("--stride") { Description = "Sub-tokens shared by consecutive windows of a sentence longer than a window (HF stride)", DefaultValueFactory = _ => 128 };
    private static readonly Option<bool?> LabelAll = new("--label-all-tokens") { Description = "Count every sub-token in the loss (default: as the training run did)" };
    private static readonly Option<string> Out = new("--out") { Description = "Write 'token gold pred' CoNLL (conlleval and 'bioner evaluate --gold' read it back)" };
    private static readonly Option<string> Report = new("--report") { Description = "Write an HTML error report (index.html, per-type and confusion PNGs, analysis.json) to this folder" };
    private static readonly Option<bool> Json = new("--json") { Description = "Print the report as JSON" };
    private static readonly Option<int> Digits = new("--digits") { Description = "Decimals in the text report", DefaultValueFactory = _ => 4 };

    /// <summary>Creates the verb with its options.</summary>
    public static Command Create()
    {
        var cmd = new Command("evaluate", "Entity-level precision/recall/F1 (seqeval) of predictions, or of a model on a labelled corpus");
        foreach (var o in new Option[] { Gold, Pred, Model, Tokenizer, Format, LabelMapOpt, Mode, Scheme, Aggregation, Decode, Batch, MaxLength, Stride, LabelAll, Out, Report, Json, Digits })
            cmd.Options.Add(o);
        RuntimeOption.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var mode = ParseMode(parse.GetValue(Mode)!);
            TaggingScheme? scheme = parse.GetValue(Scheme) is { } s ? CorpusIO.ParseScheme(s) : null;
            string gold = parse.GetValue(Gold) ?? EmbeddedDefault.Resolve().EvalExample;
            var json = new JsonObject();
            Corpus goldCorpus, predCorpus;
            EvaluationResult result;
            if (parse.GetValue(Model) is { } model)
            {
                if (parse.GetValue(Pred) is not null) throw new BioNerException("give --model or --pred, not both");
                (goldCorpus, predCorpus, result) = ScoreModel(parse, model, gold, mode, scheme, json);
            }
            else
            {
                (goldCorpus, predCorpus) = Read(gold, parse.GetValue(Pred), parse.GetValue(Format), parse.GetValue(LabelMapOpt));
                result = SeqevalMetrics.Evaluate(goldCorpus.Sentences.Select(x => x.Labels).ToList(),
                    predCorpus.Sentences.Select(x => x.Labels).ToList(), mode, scheme);
            }
            if (parse.GetValue(Out) is { } outPath) ConllWriter.WriteGoldAndPredicted(goldCorpus, predCorpus, outPath);
            var analysis = parse.GetValue(Report) is { } reportDir
                ? ErrorReport.Write(reportDir, goldCorpus, predCorpus, result, $"{parse.GetValue(Model) ?? parse.GetValue(Pred) ?? gold} on {gold}")
                : ErrorAnalysis.Analyze(goldCorpus, predCorpus);
            if (parse.GetValue(Report) is { } written)
                parse.InvocationConfiguration.Error.WriteLine($"error report: {Path.Combine(Path.GetFullPath(written), "index.html")}");
            if (parse.GetValue(Json))
            {
                json["errors"] = JsonNode.Parse(analysis.ToJson(indented: false));
                json["mode"] = mode.ToString().ToLowerInvariant();
                json["sentences"] = goldCorpus.Sentences.Count;
                json["tokens"] = result.Counts.Tokens;
                json["accuracy"] = result.Accuracy;
                json["report"] = JsonNode.Parse(result.Report.ToJson());
                output.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            output.Write(result.Report.ToText(parse.GetValue(Digits)));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\naccuracy: {result.Accuracy:0.0000}  precision: {result.Precision:0.0000}  recall: {result.Recall:0.0000}  f1: {result.F1:0.0000}  " +
                $"({goldCorpus.Sentences.Count} sentences, {result.Counts.Tokens} tokens, mode {mode.ToString().ToLowerInvariant()})"));
            var c = analysis.Categories;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"errors: exact {c.ExactMatch}, wrong type {c.WrongType}, wrong boundary {c.WrongBoundary}, both wrong {c.BothWrong}, " +
                $"missed {c.Missed}, spurious {c.Spurious}; partial-match F1 {analysis.PartialF1:0.0000} (docs/evaluation.md)"));
            return 0;
        });
        return cmd;
    }

    // Labels the corpus's words with the model through the shared decoder; progress and coverage go to stderr.
    private static (Corpus Gold, Corpus Pred, EvaluationResult Result) ScoreModel(ParseResult parse, string model,
        string gold, EvaluationMode mode, TaggingScheme? scheme, JsonObject json)
    {
        var stderr = parse.InvocationConfiguration.Error;
        string dir = ModelResolver.Resolve(model, stderr.WriteLine);
        var trained = TrainedWith(dir, stderr);
        int batch = parse.GetValue(Batch) ?? trained?.EvalBatchSize ?? 8;
        if (batch < 1) throw new BioNerException($"--batch-size must be at least 1 (got {batch})");
        var strategy = AggregationStrategies.Parse(parse.GetValue(Aggregation)!, "--aggregation");
        bool? constrained = parse.GetValue(Decode) is { } decode ? ConstrainedDecoding.ParseMode(decode) : trained?.ConstrainedDecoding == true ? true : null;
        var g = ReadGold(gold, parse.GetValue(Format), parse.GetValue(LabelMapOpt));
        int? maxLength = parse.GetValue(MaxLength) ?? trained?.MaxSequenceLength;
        if (maxLength is < 3) throw new BioNerException($"--max-length must be at least 3 (CLS, one sub-token, SEP), got {maxLength}");
        int stride = parse.GetValue(Stride);
        if (stride < 0) throw new BioNerException($"--stride must be 0 or more (got {stride})");
        var scorer = RuntimeOption.CreateScorer(parse, dir, stderr.WriteLine, parse.GetValue(Tokenizer));
        using var pipeline = new NerPipeline(scorer,
            new NerOptions { BatchSize = batch, MaxSubTokens = maxLength - 2, Stride = stride });
        var clock = Stopwatch.StartNew();
        var outcome = ModelEvaluator.Evaluate(pipeline, g, new ModelEvaluationOptions
        {
            Strategy = strategy, LabelAllTokens = parse.GetValue(LabelAll) ?? trained?.LabelAllTokens ?? false, Mode = mode, Scheme = scheme,
            Constrained = constrained,
        });
        clock.Stop();
        long words = g.Sentences.Sum(s => (long)s.Count);
        foreach (var line in outcome.Coverage.Describe()) stderr.WriteLine($"warning: {line}");
        string loss = outcome.Loss is { } l ? l.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a (the ONNX graph has no loss)";
        string name = RuntimeOption.Describe(parse, scorer);
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model {model} ({name}): loss {loss}; {g.Sentences.Count} sentences, {words} words in {clock.Elapsed.TotalSeconds:0.0} s ({words / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):0} words/s)"));
        json["model"] = model;
        json["runtime"] = name;
        json["aggregation"] = strategy.ToString().ToLowerInvariant();
        json["decode"] = ConstrainedDecoding.Effective(constrained, pipeline.Crf, strategy) ? "constrained" : "argmax";
        json["loss"] = outcome.Loss;
        json["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3);
        json["gold_types_unknown_to_model"] = new JsonObject(outcome.Coverage.GoldTypesUnknownToModel.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        json["model_types_absent_from_gold"] = new JsonArray(outcome.Coverage.ModelTypesAbsentFromGold.Select(t => (JsonNode?)t).ToArray());
        var pred = new Corpus(g.Sentences.Select((s, i) => s with { Labels = outcome.Predictions[i] }).ToList(), g.Source);
        return (g, pred, outcome.Metrics);
    }

    // A BioNer training folder records how its dev rows were scored (window length, eval batch size, label-all-tokens):
    // those are the defaults, so `evaluate --model RUN --data DEV` prints the training table's row.
    private static Training.TrainingOptions? TrainedWith(string dir, TextWriter log)
    {
        var o = Training.TrainRequest.Load(dir)?.Options;
        if (o is not null)
            log.WriteLine($"scoring as the training run did ({Path.Combine(dir, Training.TrainRequest.FileName)}): windows of {o.MaxSequenceLength}, batches of {o.EvalBatchSize}");
        return o;
    }

    private static Corpus ReadGold(string gold, string? format, string? labelMap)
    {
        Require(gold);
        var g = CorpusIO.Read(gold, format is null ? null : CorpusIO.ParseFormat(format), new ReadOptions { LabelMap = DataCommand.ParseLabelMap(labelMap) });
        if (g.Sentences.Count == 0) throw new BioNerException("no sentences in the gold file", gold);
        return g;
    }

    private static (Corpus Gold, Corpus Pred) Read(string gold, string? pred, string? format, string? labelMap)
    {
        var raw = new ReadOptions { RawLabels = true, LabelMap = DataCommand.ParseLabelMap(labelMap) };
        CorpusFormat? fmt = format is null ? null : CorpusIO.ParseFormat(format);
        Require(gold);
        if (pred is null)
        {
            if ((fmt ?? CorpusIO.DetectFormat(gold)) != CorpusFormat.Conll)
                throw new BioNerException("--pred (or --model) is required unless --gold is a 'token gold pred' CoNLL file");
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
