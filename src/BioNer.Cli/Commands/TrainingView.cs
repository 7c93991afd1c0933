using System.Globalization;
using BioNer.Training;
using Spectre.Console;

namespace BioNer.Cli.Commands;

/// <summary>
/// Shows a training run: a live progress line (step, loss, tokens/s, ETA) and the results table, one row per dev
/// evaluation. Plain log lines when the output is redirected or captured, so logs and CI output stay readable.
/// </summary>
internal sealed class TrainingView
{
    private readonly TextWriter _out;
    private readonly bool _interactive;
    private int _lastPrinted;
    private readonly System.Diagnostics.Stopwatch _sinceLine = System.Diagnostics.Stopwatch.StartNew();

    public TrainingView(TextWriter output)
    {
        _out = output;
        _interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        Observer = new TrainingObserver { Message = OnMessage, Step = OnStep, Evaluation = OnEvaluation, SetEvaluation = OnSetEvaluation };
    }

    /// <summary>The callbacks to hand to <see cref="FineTuner"/>.</summary>
    public TrainingObserver Observer { get; }

    private void OnMessage(string m) => _out.WriteLine(m);

    private void OnStep(StepProgress p)
    {
        string line = string.Create(CultureInfo.InvariantCulture,
            $"step {p.Step}/{p.TotalSteps}  epoch {p.Epoch:0.00}  loss {p.Loss:0.0000}  lr {p.LearningRate:0.00e+00}  {p.TokensPerSecond:0} tok/s  eta {p.Eta:hh\\:mm\\:ss}");
        if (_interactive) { _out.Write("\r" + line.PadRight(Console.WindowWidth > 1 ? Console.WindowWidth - 1 : 100)); return; }
        // Redirected: a line every ~5% of the run or every 30 s, whichever comes first (and the last step).
        int every = Math.Max(1, p.TotalSteps / 20);
        if (p.Step - _lastPrinted >= every || p.Step == p.TotalSteps || _sinceLine.Elapsed.TotalSeconds >= 30)
        {
            _out.WriteLine(line);
            _lastPrinted = p.Step;
            _sinceLine.Restart();
        }
    }

    private void OnEvaluation(EvalRow row)
    {
        if (_interactive) _out.WriteLine();
        if (!_headerPrinted) { _out.WriteLine(TrainingHistory.Header); _headerPrinted = true; }
        _out.WriteLine(TrainingHistory.FormatRow(row));
    }

    private bool _headerPrinted;

    // Named first, so that a line starting with '|' is always a dev row of the results table.
    private void OnSetEvaluation(string set, EvalRow row) => _out.WriteLine($"{set}: {TrainingHistory.FormatRow(row)}");

    /// <summary>Prints the final results table and the per-type report.</summary>
    public void Summary(TrainResult result)
    {
        _out.WriteLine();
        if (_interactive)
        {
            var table = new Table().Title("Training results");
            foreach (var h in new[] { "Epoch", "Step", "Training Loss", "Validation Loss", "Precision", "Recall", "F1", "Accuracy" })
                table.AddColumn(new TableColumn(h).RightAligned());
            foreach (var r in result.History.Evaluations)
                table.AddRow(TrainingHistory.FormatRow(r).Trim('|').Split('|').Select(c => c.Trim()).ToArray());
            AnsiConsole.Write(table);
        }
        else
        {
            _out.Write(result.History.ToMarkdownTable());
        }
        _out.Write(result.History.ToSetTables());
        _out.WriteLine();
        _out.WriteLine($"Per-type scores on dev of the saved model ({result.Kept}):");
        _out.Write(result.Final.Metrics.Report.ToText(4));
        if (result.Test is { } t)
        {
            _out.WriteLine();
            _out.WriteLine($"Test set ({result.Kept}):");
            _out.Write(t.Metrics.Report.ToText(4));
        }
        var s = result.Stats;
        _out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"training: {s.TrainSeconds:0.0} s, {s.RealTokensPerSecond:0} real tokens/s ({s.PaddedTokensPerSecond:0} padded); padding skipped by length grouping: {s.PaddingSkipped} positions"));
        _out.WriteLine($"model, card and curves written to {result.OutDir}");
    }
}
