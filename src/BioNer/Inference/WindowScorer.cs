using BioNer.Modeling;
using BioNer.Tokenization;

namespace BioNer.Inference;

/// <summary>
/// The runtime-independent half of an <see cref="ITokenScorer"/>: the model's tokenizer on pre-split words, windows
/// framed with CLS/SEP and padded into one (B, T) batch, and the softmax over each real position's logits. The runtime
/// is an <see cref="IBatchScorer"/> (<see cref="TorchTokenScorer"/>, <c>Onnx.Runtime.OnnxTokenScorer</c> pick one), so every
/// runtime sees identical batches and produces probabilities the same way.
/// </summary>
public class WindowScorer : ITokenScorer, IDisposable
{
    /// <summary>Windows for <paramref name="tokenizer"/> over <paramref name="runtime"/>; the scorer owns the runtime.</summary>
    public WindowScorer(IBatchScorer runtime, HfTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(tokenizer);
        Runtime = runtime;
        Tokenizer = tokenizer;
        int maxLength = Math.Min(runtime.MaxPositions, tokenizer.ModelMaxLength > 0 ? tokenizer.ModelMaxLength : int.MaxValue);
        MaxSubTokens = maxLength - 2;
    }

    /// <summary>The runtime that turns padded batches into logits.</summary>
    public IBatchScorer Runtime { get; }

    /// <summary>The model's tokenizer (ids, CLS/SEP/PAD).</summary>
    public HfTokenizer Tokenizer { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Labels => Runtime.Labels;

    /// <inheritdoc/>
    public int MaxSubTokens { get; }

    /// <inheritdoc/>
    public CrfTransitions? Crf => Runtime.Crf;

    /// <inheritdoc/>
    public IReadOnlyList<SubToken[]> Tokenize(IReadOnlyList<string> words) => SubTokenSpans.Tokenize(Tokenizer, words);

    /// <summary>Forward pass: pads the windows to (B, T) with CLS/SEP, returns softmax probabilities [B][T-2][L].</summary>
    public float[][][] Score(IReadOnlyList<int[]> windows) => Run(windows, null).Probabilities;

    /// <inheritdoc/>
    public (float[][][] Probabilities, double? Loss) ScoreWithLoss(IReadOnlyList<int[]> windows, IReadOnlyList<int[]> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return Run(windows, labels);
    }

    private (float[][][] Probabilities, double? Loss) Run(IReadOnlyList<int[]> windows, IReadOnlyList<int[]>? labels)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0) return ([], null);
        if (labels is not null && labels.Count != windows.Count)
            throw new ArgumentException($"{labels.Count} label rows for {windows.Count} windows", nameof(labels));
        var framed = windows.Select((w, i) =>
        {
            if (w.Length > MaxSubTokens) throw new ArgumentException($"window of {w.Length} sub-tokens exceeds {MaxSubTokens}", nameof(windows));
            if (labels is not null && labels[i].Length != w.Length)
                throw new ArgumentException($"window {i} has {w.Length} sub-tokens but {labels[i].Length} labels", nameof(labels));
            int[] rowLabels = labels is null ? new int[w.Length + 2] : [WordEncoder.IgnoreIndex, .. labels[i], WordEncoder.IgnoreIndex];
            if (labels is null) Array.Fill(rowLabels, WordEncoder.IgnoreIndex);
            return new EncodedSequence([Tokenizer.ClsId, .. w, Tokenizer.SepId], new int[w.Length + 2], rowLabels, i, 0, 0);
        }).ToList();
        var batch = Collator.Pad(framed, Tokenizer.PadId);
        var output = Runtime.Forward(batch, withLoss: labels is not null);
        float[] logits = output.Logits;                          // (B, T, L) row-major
        int count = Labels.Count;
        var result = new float[windows.Count][][];
        for (int b = 0; b < windows.Count; b++)
        {
            result[b] = new float[windows[b].Length][];
            for (int t = 0; t < windows[b].Length; t++)
                result[b][t] = Softmax(logits.AsSpan((b * batch.SeqLen + 1 + t) * count, count));
        }
        return (result, output.Loss);
    }

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
        Runtime.Dispose();
        GC.SuppressFinalize(this);
    }
}
