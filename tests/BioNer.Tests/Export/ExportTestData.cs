using BioNer.Modeling;
using BioNer.Tokenization;
using static TorchSharp.torch;

namespace BioNer.Tests.Export;

/// <summary>Batches and reference logits shared by the export tests.</summary>
internal static class ExportTestData
{
    public static string TinyDir => Path.Combine(AppContext.BaseDirectory, "fixtures", "roberta-tiny");

    /// <summary>Biomedical-ish sentences of different lengths, so a batch of them has padding.</summary>
    public static readonly string[] Texts =
    [
        "Aspirin inhibits cyclooxygenase in human platelets.",
        "The BRCA1 protein repairs DNA.",
        "Mouse hepatocytes express Cyp2e1 after ethanol exposure, and glutathione levels drop in the liver cells of treated animals.",
        "p53",
        "Escherichia coli K-12 grows on glucose; lactose induces the lac operon in these bacteria.",
    ];

    /// <summary>The texts tokenized (specials included) and right-padded into one (B, T) batch.</summary>
    public static EncodedBatch Batch(HfTokenizer tokenizer, IReadOnlyList<string> texts, int maxLength = 128)
    {
        var seqs = texts.Select((t, i) =>
        {
            int[] ids = tokenizer.Encode(t);
            if (ids.Length > maxLength) ids = [.. ids.Take(maxLength - 1), tokenizer.SepId];
            return new EncodedSequence(ids, new int[ids.Length], Enumerable.Repeat(-100, ids.Length).ToArray(), i, 0, 0);
        }).ToList();
        return Collator.Pad(seqs, tokenizer.PadId);
    }

    /// <summary>TorchSharp logits (B, T, L) row-major for the batch (eval mode).</summary>
    public static float[] TorchLogits(TokenClassifier model, EncodedBatch batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long[] shape = [batch.BatchSize, batch.SeqLen];
        var types = model.Config.IsRobertaFamily ? null : tensor(batch.TokenTypeIds, shape);
        var logits = model.call(tensor(batch.InputIds, shape), tensor(batch.AttentionMask, shape), types);
        return logits.contiguous().data<float>().ToArray();
    }

    /// <summary>Max |a - b| over the real (unpadded) positions only, and the number of positions compared.</summary>
    public static (double MaxDiff, int Positions) MaxDiffReal(float[] a, float[] b, EncodedBatch batch, int labels)
    {
        double max = 0;
        int positions = 0;
        for (int p = 0; p < batch.BatchSize * batch.SeqLen; p++)
        {
            if (batch.AttentionMask[p] == 0) continue;
            positions++;
            for (int l = 0; l < labels; l++) max = Math.Max(max, Math.Abs(a[p * labels + l] - b[p * labels + l]));
        }
        return (max, positions);
    }

    /// <summary>Share of real positions whose argmax label agrees.</summary>
    public static double ArgmaxAgreement(float[] a, float[] b, EncodedBatch batch, int labels)
    {
        int same = 0, total = 0;
        for (int p = 0; p < batch.BatchSize * batch.SeqLen; p++)
        {
            if (batch.AttentionMask[p] == 0) continue;
            total++;
            if (Argmax(a, p, labels) == Argmax(b, p, labels)) same++;
        }
        return (double)same / total;
    }

    /// <summary>Pearson correlation of the logits at real positions.</summary>
    public static double Correlation(float[] a, float[] b, EncodedBatch batch, int labels)
    {
        var pairs = Enumerable.Range(0, batch.BatchSize * batch.SeqLen).Where(p => batch.AttentionMask[p] == 1)
            .SelectMany(p => Enumerable.Range(p * labels, labels)).Select(i => ((double)a[i], (double)b[i])).ToList();
        double ma = pairs.Average(p => p.Item1), mb = pairs.Average(p => p.Item2);
        double cov = pairs.Sum(p => (p.Item1 - ma) * (p.Item2 - mb));
        double va = pairs.Sum(p => (p.Item1 - ma) * (p.Item1 - ma)), vb = pairs.Sum(p => (p.Item2 - mb) * (p.Item2 - mb));
        return cov / Math.Sqrt(va * vb);
    }

    private static int Argmax(float[] x, int position, int labels)
    {
        int best = 0;
        for (int l = 1; l < labels; l++) if (x[position * labels + l] > x[position * labels + best]) best = l;
        return best;
    }
}
