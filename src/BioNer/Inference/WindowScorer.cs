using BioNer.Tokenization;

namespace BioNer.Inference;

/// <summary>
/// The runtime-independent half of an <see cref="ITokenScorer"/>: the model's tokenizer on pre-split words, windows
/// framed with CLS/SEP and padded into one (B, T) batch, and the softmax over each real position's logits. A runtime
/// (<see cref="TorchTokenScorer"/>, <c>Onnx.OnnxTokenScorer</c>) only supplies <see cref="Logits"/>, so both runtimes
/// see identical batches and produce probabilities the same way.
/// </summary>
public abstract class WindowScorer : ITokenScorer, IDisposable
{
    /// <summary>Sets up windows for <paramref name="tokenizer"/> and a model with <paramref name="maxPositions"/> positions.</summary>
    protected WindowScorer(HfTokenizer tokenizer, int maxPositions)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        Tokenizer = tokenizer;
        int maxLength = Math.Min(maxPositions, tokenizer.ModelMaxLength > 0 ? tokenizer.ModelMaxLength : int.MaxValue);
        MaxSubTokens = maxLength - 2;
    }

    /// <summary>The model's tokenizer (ids, CLS/SEP/PAD).</summary>
    protected HfTokenizer Tokenizer { get; }

    /// <inheritdoc/>
    public abstract IReadOnlyList<string> Labels { get; }

    /// <inheritdoc/>
    public int MaxSubTokens { get; }

    /// <inheritdoc/>
    public IReadOnlyList<SubToken[]> Tokenize(IReadOnlyList<string> words) => SubTokenSpans.Tokenize(Tokenizer, words);

    /// <summary>Forward pass: pads the windows to (B, T) with CLS/SEP, returns softmax probabilities [B][T-2][L].</summary>
    public float[][][] Score(IReadOnlyList<int[]> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0) return [];
        var framed = windows.Select(w =>
        {
            if (w.Length > MaxSubTokens) throw new ArgumentException($"window of {w.Length} sub-tokens exceeds {MaxSubTokens}", nameof(windows));
            return (int[])[Tokenizer.ClsId, .. w, Tokenizer.SepId];
        }).ToList();
        var batch = Collator.PadIds(framed, Tokenizer.PadId);
        float[] logits = Logits(batch);                          // (B, T, L) row-major
        int labels = Labels.Count;
        var result = new float[windows.Count][][];
        for (int b = 0; b < windows.Count; b++)
        {
            result[b] = new float[windows[b].Length][];
            for (int t = 0; t < windows[b].Length; t++)
                result[b][t] = Softmax(logits.AsSpan((b * batch.SeqLen + 1 + t) * labels, labels));
        }
        return result;
    }

    /// <summary>
    /// Runs the model on a padded batch (ids, attention mask, token types: (B, T) each) and returns its logits
    /// (B, T, L) flattened row-major, index <c>(b * T + t) * L + l</c>.
    /// </summary>
    protected abstract float[] Logits(EncodedBatch batch);

    /// <summary>Numerically stable softmax of one position's logits.</summary>
    private static float[] Softmax(ReadOnlySpan<float> row)
    {
        float max = float.NegativeInfinity;
        foreach (float x in row) max = Math.Max(max, x);
        var p = new float[row.Length];
        float sum = 0;
        for (int i = 0; i < row.Length; i++) sum += p[i] = MathF.Exp(row[i] - max);
        for (int i = 0; i < p.Length; i++) p[i] /= sum;
        return p;
    }

    /// <summary>Releases the runtime's model.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the model when <paramref name="disposing"/>.</summary>
    protected abstract void Dispose(bool disposing);
}
