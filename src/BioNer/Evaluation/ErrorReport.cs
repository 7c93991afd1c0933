using BioNer.Data;
using BioNer.IO;

namespace BioNer.Evaluation;

/// <summary>
/// Writes the error analysis as a static folder a user opens in a browser: <c>index.html</c> (self-contained: inline
/// CSS, no script, every text HTML-escaped) with the seqeval scores next to the error categories, nervaluate's four
/// schemes, the type-confusion matrix and example errors in context, plus <c>per_type_prf.png</c> (seqeval P/R/F1 per
/// type), <c>confusion.png</c> (the matrix as a heat map) and <c>analysis.json</c> (<see cref="ErrorAnalysisResult.ToJson"/>).
/// Why a folder of plain files: it can be attached to a CI run, copied off a cluster or opened from disk with no server.
/// Each file is written atomically (<see cref="AtomicFile"/>), images first and <c>index.html</c> last, so a reader never
/// sees a page that points at a missing or half-written plot; other files in the folder are left alone.
/// </summary>
public static class ErrorReport
{
    /// <summary>File name of the page.</summary>
    public const string IndexFile = "index.html";

    /// <summary>File name of the per-type precision/recall/F1 bar chart.</summary>
    public const string PrfPlotFile = "per_type_prf.png";

    /// <summary>File name of the confusion heat map.</summary>
    public const string ConfusionPlotFile = "confusion.png";

    /// <summary>File name of the analysis as JSON.</summary>
    public const string JsonFile = "analysis.json";

    /// <summary>
    /// Analyses <paramref name="pred"/> against <paramref name="gold"/> (<see cref="ErrorAnalysis.Analyze(IReadOnlyList{IReadOnlyList{string}}, IReadOnlyList{IReadOnlyList{string}}, IReadOnlyList{IReadOnlyList{string}}, double)"/>)
    /// and writes the report folder <paramref name="dir"/> (created if needed). <paramref name="seqeval"/> is the
    /// <see cref="SeqevalMetrics.Evaluate"/> result of the same labels, shown as is (its mode included);
    /// <paramref name="examplesPerCategory"/> caps the examples shown per error category (the page says how many more
    /// there are). Returns the analysis, so a caller can also print it.
    /// </summary>
    public static ErrorAnalysisResult Write(string dir, IReadOnlyList<IReadOnlyList<string>> words,
        IReadOnlyList<IReadOnlyList<string>> gold, IReadOnlyList<IReadOnlyList<string>> pred, EvaluationResult seqeval,
        string title, int examplesPerCategory = 20)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(seqeval);
        if (examplesPerCategory < 0)
            throw new BioNerException($"examples per category: must be >= 0, got {examplesPerCategory}.");
        var analysis = ErrorAnalysis.Analyze(words, gold, pred);
        Directory.CreateDirectory(dir);
        AtomicFile.WriteAllBytes(Path.Combine(dir, PrfPlotFile), ErrorReportPlots.PerTypePrf(seqeval.Report));
        AtomicFile.WriteAllBytes(Path.Combine(dir, ConfusionPlotFile), ErrorReportPlots.Confusion(analysis.Confusion));
        AtomicFile.WriteAllText(Path.Combine(dir, JsonFile), analysis.ToJson(examplesPerCategory: examplesPerCategory));
        string html = ErrorReportHtml.Render(title ?? "", words, analysis, seqeval, examplesPerCategory);
        AtomicFile.WriteAllText(Path.Combine(dir, IndexFile), html);
        return analysis;
    }

    /// <summary>The same report from two corpora with the same sentences: gold's words and labels, pred's labels.</summary>
    public static ErrorAnalysisResult Write(string dir, Corpus gold, Corpus pred, EvaluationResult seqeval, string title,
        int examplesPerCategory = 20)
    {
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(pred);
        return Write(dir, gold.Sentences.Select(s => s.Words).ToList(), gold.Sentences.Select(s => s.Labels).ToList(),
            pred.Sentences.Select(s => s.Labels).ToList(), seqeval, title, examplesPerCategory);
    }
}

/// <summary>The report's two PNG plots (ScottPlot, as <c>Training/LearningCurves</c>).</summary>
internal static class ErrorReportPlots
{
    private static readonly ScottPlot.Color[] Palette =
        [ScottPlot.Color.FromHex("#4c72b0"), ScottPlot.Color.FromHex("#dd8452"), ScottPlot.Color.FromHex("#55a868")];

    /// <summary>Grouped bars: precision, recall, F1 (seqeval) per entity type, y from 0 to 1.</summary>
    public static byte[] PerTypePrf(ClassificationReport report, int width = 900, int height = 450)
    {
        var plt = new ScottPlot.Plot();
        plt.Title("Per-type precision / recall / F1 (seqeval)");
        string[] names = ["precision", "recall", "F1"];
        var bars = new List<ScottPlot.Bar>();
        var ticks = new List<ScottPlot.Tick>();
        for (int i = 0; i < report.Types.Count; i++)
        {
            var row = report.Types[i];
            double[] values = [row.Precision, row.Recall, row.F1];
            for (int j = 0; j < 3; j++)
                bars.Add(new ScottPlot.Bar { Position = i * 4 + j, Value = values[j], FillColor = Palette[j], Size = 0.9 });
            ticks.Add(new ScottPlot.Tick(i * 4 + 1, row.Name));
        }
        plt.Add.Bars(bars);
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plt.Axes.Bottom.MajorTickStyle.Length = 0;
        for (int j = 0; j < 3; j++)
            plt.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = names[j], FillColor = Palette[j] });
        plt.ShowLegend(ScottPlot.Edge.Bottom);
        plt.Axes.SetLimitsY(0, 1.05);
        plt.Axes.SetLimitsX(-0.8, Math.Max(report.Types.Count * 4 - 1.2, 2.8));
        plt.YLabel("score");
        return plt.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
    }

    /// <summary>The confusion matrix as a heat map (gold rows top to bottom, predicted columns), counts written in the cells.</summary>
    public static byte[] Confusion(ConfusionMatrix matrix, int size = 600)
    {
        int n = matrix.Labels.Count;
        var data = new double[n, n];
        long max = 0;
        for (int g = 0; g < n; g++)
            for (int p = 0; p < n; p++)
            {
                data[g, p] = matrix.Counts[g][p];
                max = Math.Max(max, matrix.Counts[g][p]);
            }
        var plt = new ScottPlot.Plot();
        plt.Title("Type confusion (rows gold, columns predicted)");
        var heatmap = plt.Add.Heatmap(data);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Extent = new ScottPlot.CoordinateRect(-0.5, n - 0.5, -0.5, n - 0.5);  // cell (g, p) centred on (p, n-1-g)
        plt.Add.ColorBar(heatmap);
        for (int g = 0; g < n; g++)
        {
            for (int p = 0; p < n; p++)
            {
                var text = plt.Add.Text(matrix.Counts[g][p].ToString(System.Globalization.CultureInfo.InvariantCulture), p, n - 1 - g);
                text.Alignment = ScottPlot.Alignment.MiddleCenter;
                text.LabelFontColor = data[g, p] > max * 0.6 ? ScottPlot.Colors.Black : ScottPlot.Colors.White;
                text.LabelFontSize = 14;
            }
        }
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. matrix.Labels.Select((l, i) => new ScottPlot.Tick(i, l))]);
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. matrix.Labels.Select((l, i) => new ScottPlot.Tick(n - 1 - i, l))]);
        plt.XLabel("predicted");
        plt.YLabel("gold");
        plt.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        return plt.GetImageBytes(size + 120, size, ScottPlot.ImageFormat.Png);
    }
}
