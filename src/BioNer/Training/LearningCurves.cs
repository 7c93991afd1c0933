namespace BioNer.Training;

/// <summary>
/// Draws <c>learning_curves.png</c>: training and validation loss (left axis) and dev F1 (right axis) per epoch, with
/// the F1 of each <see cref="EvalSet"/> dashed beside it.
/// </summary>
public static class LearningCurves
{
    /// <summary>Renders the history to a PNG at <paramref name="path"/> (written atomically).</summary>
    public static void Save(TrainingHistory history, string path, int width = 900, int height = 500)
    {
        var plt = new ScottPlot.Plot();
        plt.Title("BioNer learning curves");
        plt.XLabel("Epoch");
        plt.YLabel("Loss");
        if (history.Losses.Count > 0)
        {
            var train = plt.Add.Scatter(history.Losses.Select(p => p.Epoch).ToArray(), history.Losses.Select(p => p.Loss).ToArray());
            train.LegendText = "training loss";
            train.MarkerSize = 3;
        }
        if (history.Evaluations.Count > 0)
        {
            double[] epochs = history.Evaluations.Select(e => e.Epoch).ToArray();
            var dev = plt.Add.Scatter(epochs, history.Evaluations.Select(e => e.ValidationLoss).ToArray());
            dev.LegendText = "validation loss";
            var f1 = plt.Add.Scatter(epochs, history.Evaluations.Select(e => e.F1).ToArray());
            f1.LegendText = "dev F1";
            f1.Axes.YAxis = plt.Axes.Right;
            plt.Axes.Right.Label.Text = "F1";
            foreach (var name in history.SetNames)
            {
                var rows = history.SetEvaluations.Where(e => e.Set == name).Select(e => e.Row).ToList();
                var set = plt.Add.Scatter(rows.Select(r => r.Epoch).ToArray(), rows.Select(r => r.F1).ToArray());
                set.LegendText = $"{name} F1";
                set.LinePattern = ScottPlot.LinePattern.Dashed;
                set.Axes.YAxis = plt.Axes.Right;
            }
        }
        plt.ShowLegend(ScottPlot.Edge.Bottom);       // outside the data area: no corner is free of curves in every run
        byte[] png = plt.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
        IO.AtomicFile.WriteAllBytes(path, png);
    }
}
