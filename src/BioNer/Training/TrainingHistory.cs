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

    /// <summary>Training-loss points in order.</summary>
    public List<LossPoint> Losses { get; } = [];

    /// <summary>The evaluation with the highest F1 (the first on ties), or null before any.</summary>
    public EvalRow? Best => Evaluations.Count == 0 ? null : Evaluations.Aggregate((a, b) => b.F1 > a.F1 ? b : a);

    /// <summary>The table header, in the reference model card's column order.</summary>
    public const string Header = "| Epoch | Step | Training Loss | Validation Loss | Precision | Recall | F1 | Accuracy |";

    /// <summary>One markdown row formatted as the HF auto-generated card does (4 decimals, "No log" without loss).</summary>
    public static string FormatRow(EvalRow r) => string.Create(CultureInfo.InvariantCulture,
        $"| {r.Epoch:0.##} | {r.Step} | {(r.TrainingLoss is { } l ? l.ToString("0.0000", CultureInfo.InvariantCulture) : "No log")} | {r.ValidationLoss:0.0000} | {r.Precision:0.0000} | {r.Recall:0.0000} | {r.F1:0.0000} | {r.Accuracy:0.0000} |");

    /// <summary>The whole results table as markdown.</summary>
    public string ToMarkdownTable()
    {
        var sb = new StringBuilder();
        sb.AppendLine(Header);
        sb.AppendLine("|:-----:|:----:|:-------------:|:---------------:|:---------:|:------:|:--:|:--------:|");
        foreach (var r in Evaluations) sb.AppendLine(FormatRow(r));
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
        })).Concat(Evaluations.Select(e => (e.Step, Order: 1, Node: (JsonNode)new JsonObject
        {
            ["epoch"] = Math.Round(e.Epoch, 4), ["step"] = e.Step, ["eval_loss"] = e.ValidationLoss,
            ["eval_precision"] = e.Precision, ["eval_recall"] = e.Recall, ["eval_f1"] = e.F1, ["eval_accuracy"] = e.Accuracy,
            ["train_loss"] = e.TrainingLoss,
        }))).OrderBy(x => x.Step).ThenBy(x => x.Order);
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
            else
                h.Evaluations.Add(new EvalRow(epoch, step, o["train_loss"]?.GetValue<double>(),
                    o["eval_loss"]!.GetValue<double>(), o["eval_precision"]!.GetValue<double>(), o["eval_recall"]!.GetValue<double>(),
                    o["eval_f1"]!.GetValue<double>(), o["eval_accuracy"]!.GetValue<double>()));
        }
        return h;
    }
}
