using BioNer.Data;

namespace BioNer.Evaluation;

/// <summary>
/// Turns per-type counts into seqeval's report rows: per-type scores, then micro (from summed counts), macro (plain
/// mean) and weighted (support-weighted mean) averages, with seqeval's <c>zero_division</c> rules and warnings.
/// </summary>
internal static class ClassificationReportBuilder
{
    /// <summary>Builds the report for the types that occur in gold or predicted entities (ordinal name order).</summary>
    public static ClassificationReport Build(LabelTable table, long[] tp, long[] pred, long[] gold,
        ZeroDivision zeroDivision)
    {
        var order = Enumerable.Range(0, tp.Length).Where(t => pred[t] > 0 || gold[t] > 0)
            .OrderBy(table.TypeName, StringComparer.Ordinal).ToArray();
        long[] tpT = [.. order.Select(t => tp[t])], predT = [.. order.Select(t => pred[t])],
            goldT = [.. order.Select(t => gold[t])];
        var warnings = new List<string>();
        var (p, r, f) = Scores(tpT, predT, goldT, zeroDivision, warnings, "labels");
        var types = order.Select((t, i) => new ScoreRow(table.TypeName(t), p[i], r[i], f[i], goldT[i])).ToList();

        long tpSum = tpT.Sum(), predSum = predT.Sum(), goldSum = goldT.Sum();
        var (mp, mr, mf) = Scores([tpSum], [predSum], [goldSum], zeroDivision, warnings, "micro");
        var micro = new ScoreRow("micro avg", mp[0], mr[0], mf[0], goldSum);
        if (order.Length == 0) warnings.Add("macro avg: mean of empty slice (no entity type), set to NaN.");
        var macro = new ScoreRow("macro avg", PrfMath.Mean(p), PrfMath.Mean(r), PrfMath.Mean(f), goldSum);
        return new ClassificationReport(types, micro, macro, Weighted(p, r, f, goldT, predSum, zeroDivision),
            warnings.Distinct().ToList());
    }

    private static ScoreRow Weighted(double[] p, double[] r, double[] f, long[] gold, long predSum,
        ZeroDivision zeroDivision)
    {
        const string name = "weighted avg";
        if (gold.Sum() == 0)
        {
            double z = zeroDivision == ZeroDivision.One ? 1.0 : 0.0;
            return new ScoreRow(name, predSum == 0 ? z : 0.0, z, predSum == 0 ? z : 0.0, 0);
        }
        return new ScoreRow(name, PrfMath.WeightedMean(p, gold), PrfMath.WeightedMean(r, gold),
            PrfMath.WeightedMean(f, gold), gold.Sum());
    }

    private static (double[] P, double[] R, double[] F) Scores(long[] tp, long[] pred, long[] gold,
        ZeroDivision zeroDivision, List<string> warnings, string scope)
    {
        var p = PrfMath.Divide(tp, pred, zeroDivision, out bool noPred);
        var r = PrfMath.Divide(tp, gold, zeroDivision, out bool noGold);
        var f = new double[p.Length];
        for (int i = 0; i < f.Length; i++) f[i] = PrfMath.F1(p[i], r[i]);
        if (zeroDivision == ZeroDivision.Warn)
        {
            string where = scope == "micro" ? "due to" : "in labels with";
            if (noPred) warnings.Add($"Precision and F-score are ill-defined and being set to 0.0 {where} no predicted samples.");
            if (noGold) warnings.Add($"Recall and F-score are ill-defined and being set to 0.0 {where} no true samples.");
        }
        return (p, r, f);
    }
}
