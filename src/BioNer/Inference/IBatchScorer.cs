using BioNer.Modeling;
using BioNer.Tokenization;
using static TorchSharp.torch;

namespace BioNer.Inference;

/// <summary>
/// The one seam between a runtime and everything that reads a model's opinion: a padded batch in, logits out. Why one
/// interface: training's dev and test scores, <c>bioner evaluate --model</c>, word-level and raw-text
/// <c>predict</c>, <c>serve</c> and the ONNX checks all reach a model through <see cref="WindowScorer"/> over this, so
/// their scores agree by construction and a new runtime is wired once. Implementations: <see cref="TorchBatchScorer"/>
/// (TorchSharp) and <c>Onnx.Runtime.OnnxTokenClassifier</c> (ONNX Runtime, fp32 or int8).
/// </summary>
public interface IBatchScorer : IDisposable
{
    /// <summary>Label names in logit-column order (<c>id2label</c>).</summary>
    IReadOnlyList<string> Labels { get; }

    /// <summary>Positions one sequence may have, specials included (<c>max_position_embeddings</c> less the offset).</summary>
    int MaxPositions { get; }

    /// <summary>
    /// Runs the batch: <see cref="EncodedBatch.InputIds"/>, <see cref="EncodedBatch.AttentionMask"/> and token types,
    /// (B, T) each → logits (B, T, L). With <paramref name="withLoss"/> the runtime also returns the mean cross-entropy
    /// over the positions whose <see cref="EncodedBatch.Labels"/> is not −100, when it can compute it.
    /// </summary>
    BatchScores Forward(EncodedBatch batch, bool withLoss);

    /// <summary>The model's CRF scores when it has a CRF head (its logits are then emissions that decoding adds these
    /// to), else null. Read when decoding, so a model still training is decoded with its current scores.</summary>
    CrfTransitions? Crf => null;
}

/// <summary>What <see cref="IBatchScorer.Forward"/> returns.</summary>
/// <param name="Logits">(B, T, L) row-major, index <c>(b * T + t) * L + l</c>.</param>
/// <param name="Loss">Mean cross-entropy over labelled positions (NaN when none is labelled); null when not asked for,
/// or when the runtime has no loss (ONNX graphs export logits only).</param>
public sealed record BatchScores(float[] Logits, double? Loss);

/// <summary>
/// <see cref="IBatchScorer"/> over a TorchSharp <see cref="TokenClassifier"/>, in inference mode with one dispose scope
/// per batch. The loss is the model's own (<see cref="TokenClassifier.Forward(EncodedBatch, bool)"/>), the one training
/// optimises. A scorer built over a model it does not own (the trainer's live model) leaves it undisposed and puts it
/// back in the train/eval mode it found after each batch.
/// </summary>
public sealed class TorchBatchScorer : IBatchScorer
{
    private readonly TokenClassifier _model;
    private readonly bool _ownsModel;

    /// <summary>Wraps <paramref name="model"/>; with <paramref name="ownsModel"/> disposing the scorer disposes it.</summary>
    public TorchBatchScorer(TokenClassifier model, bool ownsModel = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _ownsModel = ownsModel;
        if (ownsModel) _model.eval();
    }

    /// <summary>The wrapped model.</summary>
    public TokenClassifier Model => _model;

    /// <inheritdoc/>
    public IReadOnlyList<string> Labels => _model.Config.Labels;

    /// <inheritdoc/>
    public int MaxPositions => _model.Config.MaxSequenceLength;

    /// <inheritdoc/>
    public CrfTransitions? Crf => _model.Crf?.ToTransitions();

    /// <inheritdoc/>
    public BatchScores Forward(EncodedBatch batch, bool withLoss)
    {
        bool wasTraining = _model.training;
        _model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var mode = inference_mode();
            var output = _model.Forward(batch, withLoss);
            float[] logits = output.Logits.contiguous().data<float>().ToArray();                    // (B, T, L)
            return new BatchScores(logits, output.Loss is { } loss ? loss.item<float>() : null);
        }
        finally
        {
            _model.train(wasTraining);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsModel) _model.Dispose();
    }
}
