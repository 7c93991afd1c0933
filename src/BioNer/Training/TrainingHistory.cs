using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace BioNer.Training;

/// <summary>
/// Everything a run logged, in the order it happened. It renders the model card's results table and serialises to
/// HF-compatible <c>trainer_state.json</c> (<c>log_history</c> with <c>loss</c>/<c>eval_*</c> entries).
/// </summary>
public sealed class TrainingHistory
{
    /// <summary>Dev evaluations in order.</summary>
    public List<EvalRow> Evaluations { get; } = [];

    /// <summary>Evaluations of the <see cref="EvalSet"/>s beside dev, in order (each evaluation: its sets in request order).</summary>
    public List<SetEvalRow> SetEvaluations { get; } = [];

    /// <summary>The names of the sets in <see cref="SetEvaluations"/>, in first-seen order.</summary>
    public IReadOnlyList<string> SetNames => SetEvaluations.Select(e => e.Set).Distinct().ToList();

    /// <summary>Training-loss points in order.</summary>
    public List<LossPoint> Losses { get; } = [];

    /// <summary>The evaluation with the highest F1 (the first on ties), or null before any.</summary>
    public EvalRow? Best => Evaluations.Count == 0 ? null : Evaluations.Aggregate((a, b) => b.F1 > a.F1 ? b : a);

    /// <summary>The table header, in the reference model card's column order.</summary>
    public const string Header = "| Epoch | Step | Training Loss | Validation Loss | Precision | Recall | F1 | Accuracy |";

    /// <summary>One markdown row formatted as the HF auto-generated card does (4 decimals, "No log" without loss).</summary>
    public static string FormatRow(EvalRow r) => string.Create(CultureInfo.InvariantCulture,
        $"| {r.Epoch:0.##} | {r.Step} | {(r.TrainingLoss is { } l ? l.ToString("0.0000", CultureInfo.InvariantCulture) : "No log")} | {r.ValidationLoss:0.0000} | {r.Precision:0.0000} | {r.Recall:0.0000} | {r.F1:0.0000} | {r.Accuracy:0.0000} |");

    /// <summary>The dev results table as markdown.</summary>
    public string ToMarkdownTable() => Table(Evaluations);

    /// <summary>
    /// One table per <see cref="EvalSet"/>, each under a line naming the set (<paramref name="files"/>: name → file, for
    /// that line); empty when the run scored no other set. Validation Loss there is the loss on that set.
    /// </summary>
    public string ToSetTables(IReadOnlyDictionary<string, string>? files = null)
    {
        var sb = new StringBuilder();
        foreach (var name in SetNames)
        {
            string file = files is not null && files.TryGetValue(name, out var f) ? $" (`{f}`)" : "";
            sb.AppendLine().AppendLine($"On evaluation set `{name}`{file}:").AppendLine();
            sb.Append(Table(SetEvaluations.Where(e => e.Set == name).Select(e => e.Row)));
        }
        return sb.ToString();
    }

    private static string Table(IEnumerable<EvalRow> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Header);
        sb.AppendLine("|:-----:|:----:|:-------------:|:---------------:|:---------:|:------:|:--:|:--------:|");
        foreach (var r in rows) sb.AppendLine(FormatRow(r));
        return sb.ToString();
    }

    /// <summary>Serialises as HF <c>trainer_state.json</c> so existing tooling can read the log.</summary>
    public JsonObject ToTrainerState(int globalStep, int maxSteps, int epochs, string? bestCheckpoint)
    {
        var log = new JsonArray();
        var events = Losses.Select(p => (p.Step, Order: 0, Node: (JsonNode)new JsonObject
        {
            // Full precision (not HF's rounding): a resumed run reads these back and must continue with the exact values.
            ["epoch"] = p.Epoch, ["step"] = p.Step, ["loss"] = p.Loss, ["learning_rate"] = p.LearningRate,
        })).Concat(Evaluations.Select(e => (e.Step, Order: 1, Node: (JsonNode)LogEntry(e, "eval"))))
           // HF's keys for a dict eval_dataset: eval_{name}_{metric}, one log entry per set.
           .Concat(SetEvaluations.Select((e, i) => (e.Row.Step, Order: 2 + i, Node: (JsonNode)LogEntry(e.Row, $"eval_{e.Set}"))))
           .OrderBy(x => x.Step).ThenBy(x => x.Order);
        foreach (var e in events) log.Add(e.Node);
        return new JsonObject
        {
            ["best_metric"] = Best?.F1,
            ["best_model_checkpoint"] = bestCheckpoint,
            ["global_step"] = globalStep,
            ["max_steps"] = maxSteps,
            ["num_train_epochs"] = epochs,
            ["metric_for_best_model"] = "f1",
            ["log_history"] = log,
        };
    }

    /// <summary>Restores a history from <see cref="ToTrainerState"/>'s output (used when resuming).</summary>
    public static TrainingHistory FromTrainerState(JsonObject state)
    {
        var h = new TrainingHistory();
        foreach (var n in state["log_history"]!.AsArray())
        {
            var o = n!.AsObject();
            double epoch = o["epoch"]!.GetValue<double>();
            int step = o["step"]!.GetValue<int>();
            if (o.ContainsKey("loss"))
                h.Losses.Add(new LossPoint(epoch, step, o["loss"]!.GetValue<double>(), o["learning_rate"]!.GetValue<double>()));
            else if (!o.ContainsKey("eval_loss") && SetOf(o) is { } set)
                h.SetEvaluations.Add(new SetEvalRow(set, ReadEntry(o, $"eval_{set}", epoch, step)));
            else
                h.Evaluations.Add(ReadEntry(o, "eval", epoch, step));
        }
        return h;
    }

    /// <summary>
    /// Adds <paramref name="r"/>'s scores to <paramref name="target"/> under HF's metric names: <c>{prefix}_loss</c>,
    /// <c>_precision</c>, <c>_recall</c>, <c>_f1</c>, <c>_accuracy</c> (prefix <c>eval</c> for dev, <c>eval_NAME</c> for a set).
    /// </summary>
    internal static void AddScores(JsonObject target, string prefix, EvalRow r)
    {
        target[$"{prefix}_loss"] = r.ValidationLoss; target[$"{prefix}_precision"] = r.Precision;
        target[$"{prefix}_recall"] = r.Recall; target[$"{prefix}_f1"] = r.F1; target[$"{prefix}_accuracy"] = r.Accuracy;
    }

    private static JsonObject LogEntry(EvalRow r, string prefix)
    {
        var o = new JsonObject { ["epoch"] = Math.Round(r.Epoch, 4), ["step"] = r.Step };
        AddScores(o, prefix, r);
        o["train_loss"] = r.TrainingLoss;
        return o;
    }

    private static EvalRow ReadEntry(JsonObject o, string prefix, double epoch, int step) =>
        new(epoch, step, o["train_loss"]?.GetValue<double>(), o[$"{prefix}_loss"]!.GetValue<double>(),
            o[$"{prefix}_precision"]!.GetValue<double>(), o[$"{prefix}_recall"]!.GetValue<double>(),
            o[$"{prefix}_f1"]!.GetValue<double>(), o[$"{prefix}_accuracy"]!.GetValue<double>());

    // The set an eval_{name}_f1 entry scores (the name may itself hold '_').
    private static string? SetOf(JsonObject o) =>
        o.Select(kv => kv.Key).FirstOrDefault(k => k.StartsWith("eval_", StringComparison.Ordinal) && k.EndsWith("_f1", StringComparison.Ordinal) && k.Length > 8)
            is { } key ? key[5..^3] : null;
}
