namespace BioNer.Evaluation;

/// <summary>
/// The arithmetic of seqeval's <c>_precision_recall_fscore_support</c> (numpy float64), reproduced operation by
/// operation so that results agree to the last bit: divisions with <c>zero_division</c> handling, F1 as
/// <c>2 * p * r / (p + r)</c>, and numpy's pairwise summation for the macro and weighted means.
/// </summary>
internal static class PrfMath
{
    /// <summary>Per-element <c>numerator / denominator</c>; a zero denominator gives 0 (Warn, Zero) or 1 (One).</summary>
    public static double[] Divide(long[] numerator, long[] denominator, ZeroDivision zeroDivision, out bool undefined)
    {
        var result = new double[numerator.Length];
        undefined = false;
        for (int i = 0; i < result.Length; i++)
        {
            if (denominator[i] == 0)
            {
                undefined = true;
                result[i] = zeroDivision == ZeroDivision.One ? 1.0 : 0.0;
            }
            else
            {
                result[i] = (double)numerator[i] / denominator[i];
            }
        }
        return result;
    }

    /// <summary>F1 from precision and recall as numpy computes it: <c>(1 + 1) * p * r / denom</c>, denom 0 → 1.</summary>
    public static double F1(double precision, double recall)
    {
        double denom = precision + recall;
        if (denom == 0.0) denom = 1.0;
        return 2.0 * precision * recall / denom;
    }

    /// <summary>numpy <c>np.mean</c> of a float64 vector (NaN for an empty one, as numpy).</summary>
    public static double Mean(ReadOnlySpan<double> values) =>
        values.Length == 0 ? double.NaN : Sum(values) / values.Length;

    /// <summary>numpy <c>np.average(values, weights)</c>: pairwise sum of products over the pairwise sum of weights.</summary>
    public static double WeightedMean(ReadOnlySpan<double> values, ReadOnlySpan<long> weights)
    {
        var products = new double[values.Length];
        var w = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            w[i] = weights[i];
            products[i] = values[i] * w[i];
        }
        return Sum(products) / Sum(w);
    }

    /// <summary>numpy's <c>add.reduce</c> of a float64 vector: identity 0 plus the pairwise sum.</summary>
    public static double Sum(ReadOnlySpan<double> values) => 0.0 + PairwiseSum(values);

    /// <summary>numpy's <c>pairwise_sum</c> (loops_utils.h): 8 accumulators in blocks of up to 128, halves above that.</summary>
    public static double PairwiseSum(ReadOnlySpan<double> a)
    {
        int n = a.Length;
        if (n < 8)
        {
            double res = 0.0;
            for (int i = 0; i < n; i++) res += a[i];
            return res;
        }
        if (n <= 128)
        {
            Span<double> r = stackalloc double[8];
            a[..8].CopyTo(r);
            int i = 8;
            for (; i < n - n % 8; i += 8)
                for (int j = 0; j < 8; j++) r[j] += a[i + j];
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) res += a[i];
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return PairwiseSum(a[..n2]) + PairwiseSum(a[n2..]);
    }
}
