using System.Text;
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
    public IReadOnlyList<SubToken[]> Tokenize(IReadOnlyList<string> words)
    {
        var ids = _tokenizer.EncodeWords(words);
        return ids.Select((wordIds, i) => Spans(words[i], wordIds)).ToList();
    }

    // Characters of the word each sub-token covers. Byte-level BPE: token symbols map back to bytes (GPT-2's
    // bytes_to_unicode), and byte counts map to UTF-16 offsets of the word (its prefix space excluded). WordPiece: the
    // token text without "##" (an approximation when lower-casing/accent stripping changed lengths; the pipeline clamps).
    private SubToken[] Spans(string word, int[] ids)
    {
        var result = new SubToken[ids.Length];
        bool byteLevel = _tokenizer.Kind == TokenizerKind.ByteLevelBpe;
        var charAtByte = byteLevel ? CharOffsetsByByte(word) : null;
        int position = byteLevel ? -1 : 0; // byte-level: the prefix space comes first
        for (int i = 0; i < ids.Length; i++)
        {
            string token = _tokenizer.IdToToken(ids[i]) ?? "";
            int length = byteLevel ? token.Length : (token.StartsWith("##", StringComparison.Ordinal) ? token.Length - 2 : token.Length);
            if (ids[i] == _tokenizer.UnkId) length = word.Length;
            int end = position + length;
            result[i] = byteLevel
                ? new SubToken(ids[i], charAtByte![Math.Clamp(position, 0, charAtByte.Length - 1)], charAtByte[Math.Clamp(end, 0, charAtByte.Length - 1)])
                : new SubToken(ids[i], Math.Min(position, word.Length), Math.Min(end, word.Length));
            position = end;
        }
        return result;
    }

    // For each UTF-8 byte offset 0..n of the word, the UTF-16 offset of the character containing it.
    private static int[] CharOffsetsByByte(string word)
    {
        var map = new List<int>(word.Length * 2 + 1);
        for (int c = 0; c < word.Length; c += char.IsSurrogatePair(word, c) ? 2 : 1)
        {
            int bytes = Encoding.UTF8.GetByteCount(word.AsSpan(c, char.IsSurrogatePair(word, c) ? 2 : 1));
            for (int b = 0; b < bytes; b++) map.Add(c);
        }
        map.Add(word.Length);
        return map.ToArray();
    }

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
