using BioNer.Modeling;
namespace BioNer.Inference;

/// <summary>
/// One sub-token of a word: its vocabulary id and the [Start, End) characters of the word it covers (relative to the
/// word, so the pipeline can place it in the original text). Why relative spans: the scorer sees words only, which is
/// what keeps offsets right for byte-level BPE models (RoBERTa) whose own offset mapping is wrong on pre-split input.
/// </summary>
/// <param name="Id">Vocabulary id fed to the model.</param>
/// <param name="Start">First character of the word covered by the sub-token.</param>
/// <param name="End">Exclusive end character of the word covered by the sub-token.</param>
public readonly record struct SubToken(int Id, int Start, int End);

/// <summary>
/// The model-dependent part of inference, kept small on purpose: turn words into sub-tokens, and score windows of
/// sub-tokens. Everything else (word splitting, windows, merging, aggregation, formats, serving) is model-agnostic.
/// Implementation: <see cref="WindowScorer"/> (windows, padding, softmax) over an <see cref="IBatchScorer"/> runtime —
/// <see cref="TorchTokenScorer"/> (TorchSharp checkpoint) and <c>Onnx.Runtime.OnnxTokenScorer</c> (ONNX Runtime); tests use a
/// deterministic scorer.
/// </summary>
public interface ITokenScorer
{
    /// <summary>Label names by id (the checkpoint's <c>id2label</c>); the probability vectors follow this order.</summary>
    IReadOnlyList<string> Labels { get; }

    /// <summary>How many sub-tokens one window may hold, special tokens excluded (e.g. 510 for a 512-position model).</summary>
    int MaxSubTokens { get; }

    /// <summary>Splits each word into sub-tokens, exactly as the model's tokenizer does for pre-split input.</summary>
    IReadOnlyList<SubToken[]> Tokenize(IReadOnlyList<string> words);

    /// <summary>
    /// Scores a batch of windows. Input: per window the sub-token ids without special tokens (each at most
    /// <see cref="MaxSubTokens"/> long). Output: per window, per sub-token position, the softmax probabilities over
    /// <see cref="Labels"/> — shape [window][position][label]. Callers serialise calls (see <see cref="NerPipeline"/>),
    /// so implementations need not be thread-safe.
    /// </summary>
    float[][][] Score(IReadOnlyList<int[]> windows);

    /// <summary>
    /// <see cref="Score"/> with gold label ids per window position (same shape as <paramref name="windows"/>, −100 where
    /// unlabelled), also returning the batch's mean cross-entropy when the runtime computes one (null otherwise).
    /// Why beside <see cref="Score"/>: evaluation reports a loss from the same forward pass that gives its labels.
    /// </summary>
    (float[][][] Probabilities, double? Loss) ScoreWithLoss(IReadOnlyList<int[]> windows, IReadOnlyList<int[]> labels) =>
        (Score(windows), null);

    /// <summary>The model's CRF scores (<see cref="IBatchScorer.Crf"/>) when it has a CRF head, else null.</summary>
    CrfTransitions? Crf => null;
}
