using BioNer.Checkpoints;
using BioNer.Modeling;
using BioNer.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace BioNer.Inference;

/// <summary>
/// <see cref="ITokenScorer"/> over a HuggingFace-layout checkpoint run with TorchSharp: the model's own tokenizer on
/// pre-split words (so RoBERTa sees each word with its prefix space, exactly as in training), CLS/SEP added, padded
/// batches, softmax over the logits. Each <see cref="Score"/> call owns one dispose scope under inference mode, so no
/// tensor outlives it. Not thread-safe by itself; <see cref="NerPipeline"/> serialises calls.
/// </summary>
public sealed class TorchTokenScorer : ITokenScorer, IDisposable
{
    private readonly TokenClassifier _model;
    private readonly HfTokenizer _tokenizer;

    /// <summary>Wraps a loaded model and its tokenizer.</summary>
    public TorchTokenScorer(TokenClassifier model, HfTokenizer tokenizer)
    {
        _model = model;
        _tokenizer = tokenizer;
        _model.eval();
        int maxLength = Math.Min(model.Config.MaxSequenceLength, tokenizer.ModelMaxLength > 0 ? tokenizer.ModelMaxLength : int.MaxValue);
        MaxSubTokens = maxLength - 2;
    }

    /// <summary>Loads the checkpoint and tokenizer in <paramref name="modelDir"/> (HF layout).</summary>
    public static TorchTokenScorer Load(string modelDir, Action<string>? log = null) =>
        new(CheckpointLoader.Load(modelDir, log: log), HfTokenizer.Load(modelDir));

    /// <inheritdoc/>
    public IReadOnlyList<string> Labels => _model.Config.Labels;

    /// <inheritdoc/>
    public int MaxSubTokens { get; }

    /// <summary>The model's configuration (base model type, sizes, labels).</summary>
    public ModelConfig Config => _model.Config;

    /// <inheritdoc/>
    public IReadOnlyList<SubToken[]> Tokenize(IReadOnlyList<string> words) => SubTokenSpans.Tokenize(_tokenizer, words);

    /// <summary>Forward pass: pads the windows to (B, T) with CLS/SEP, returns softmax probabilities [B][T-2][L].</summary>
    public float[][][] Score(IReadOnlyList<int[]> windows)
    {
        if (windows.Count == 0) return [];
        int batch = windows.Count, seqLen = windows.Max(w => w.Length) + 2, labels = Labels.Count;
        var ids = new long[batch * seqLen];
        var mask = new long[batch * seqLen];
        Array.Fill(ids, _tokenizer.PadId);
        for (int b = 0; b < batch; b++)
        {
            var w = windows[b];
            if (w.Length > MaxSubTokens) throw new ArgumentException($"window of {w.Length} sub-tokens exceeds {MaxSubTokens}", nameof(windows));
            int row = b * seqLen;
            ids[row] = _tokenizer.ClsId;
            for (int t = 0; t < w.Length; t++) ids[row + 1 + t] = w[t];
            ids[row + 1 + w.Length] = _tokenizer.SepId;
            for (int t = 0; t < w.Length + 2; t++) mask[row + t] = 1;
        }
        float[] probs;
        using (var scope = NewDisposeScope())
        using (inference_mode())
        {
            var inputIds = tensor(ids, [batch, seqLen]);                 // (B, T)
            var attention = tensor(mask, [batch, seqLen]);               // (B, T)
            var logits = _model.call(inputIds, attention, null);         // (B, T, L)
            probs = nn.functional.softmax(logits, -1).contiguous().data<float>().ToArray();
        }
        var result = new float[batch][][];
        for (int b = 0; b < batch; b++)
        {
            result[b] = new float[windows[b].Length][];
            for (int t = 0; t < windows[b].Length; t++)
                result[b][t] = probs.AsSpan((b * seqLen + 1 + t) * labels, labels).ToArray();
        }
        return result;
    }

    /// <summary>Releases the model's weights.</summary>
    public void Dispose() => _model.Dispose();
}
