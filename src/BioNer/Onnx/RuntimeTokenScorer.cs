using BioNer.Inference;
using BioNer.Tokenization;

namespace BioNer.Onnx;

/// <summary>
/// <see cref="ITokenScorer"/> on ONNX Runtime: what <c>bioner predict/serve --runtime onnx</c> plug into
/// <see cref="NerPipeline"/> instead of the TorchSharp scorer. Same tokenizer, same CLS/SEP windows and padding, same
/// softmax, so entities are those of <see cref="TorchTokenScorer"/> up to float rounding (fp32) or quantization (int8).
/// </summary>
public sealed class OnnxTokenScorer : ITokenScorer, IDisposable
{
    private readonly OnnxTokenClassifier _model;
    private readonly HfTokenizer _tokenizer;

    /// <summary>Wraps an ONNX classifier and the tokenizer it was exported with; the scorer owns <paramref name="model"/>.</summary>
    public OnnxTokenScorer(OnnxTokenClassifier model, HfTokenizer tokenizer)
    {
        _model = model;
        _tokenizer = tokenizer;
        int maxLength = Math.Min(model.Config.MaxSequenceLength, tokenizer.ModelMaxLength > 0 ? tokenizer.ModelMaxLength : int.MaxValue);
        MaxSubTokens = maxLength - 2;
    }

    /// <summary>
    /// Opens a model folder for ONNX Runtime. A <c>bioner export onnx</c> folder is used as is; a plain HF checkpoint
    /// (no <c>onnx/</c> graph) is exported in memory first (<paramref name="log"/> says so), nothing written to disk.
    /// </summary>
    public static OnnxTokenScorer Load(string dir, OnnxRuntimeOptions? options = null, Action<string>? log = null)
    {
        options ??= new OnnxRuntimeOptions();
        string file = Path.Combine(dir, options.Quantized ? OnnxExporter.QuantizedModelFile : OnnxExporter.ModelFile);
        var model = File.Exists(file) ? OnnxTokenClassifier.Load(dir, options) : OnnxTokenClassifier.FromCheckpoint(dir, options, log);
        try
        {
            return new OnnxTokenScorer(model, HfTokenizer.Load(dir));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> Labels => _model.Labels;

    /// <inheritdoc/>
    public int MaxSubTokens { get; }

    /// <inheritdoc/>
    public IReadOnlyList<SubToken[]> Tokenize(IReadOnlyList<string> words) => SubTokenSpans.Tokenize(_tokenizer, words);

    /// <summary>Forward pass: pads the windows to (B, T) with CLS/SEP, returns softmax probabilities [B][T-2][L].</summary>
    public float[][][] Score(IReadOnlyList<int[]> windows)
    {
        if (windows.Count == 0) return [];
        var sequences = windows.Select((w, i) =>
        {
            if (w.Length > MaxSubTokens) throw new ArgumentException($"window of {w.Length} sub-tokens exceeds {MaxSubTokens}", nameof(windows));
            int[] ids = [_tokenizer.ClsId, .. w, _tokenizer.SepId];
            return new EncodedSequence(ids, new int[ids.Length], new int[ids.Length], i, 0, 0);
        }).ToList();
        var batch = Collator.Pad(sequences, _tokenizer.PadId);
        float[] logits = _model.Logits(batch); // (B, T, L)
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

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _model.Dispose();
}
