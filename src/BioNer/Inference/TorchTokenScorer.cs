using BioNer.Checkpoints;
using BioNer.Modeling;
using BioNer.Tokenization;
using static TorchSharp.torch;

namespace BioNer.Inference;

/// <summary>
/// <see cref="ITokenScorer"/> over a HuggingFace-layout checkpoint run with TorchSharp (windows, padding and softmax
/// from <see cref="WindowScorer"/>). Each forward owns one dispose scope under inference mode, so no tensor outlives it.
/// Not thread-safe by itself; <see cref="NerPipeline"/> serialises calls.
/// </summary>
public sealed class TorchTokenScorer : WindowScorer
{
    private readonly TokenClassifier _model;

    /// <summary>Wraps a loaded model and its tokenizer; the scorer owns <paramref name="model"/>.</summary>
    public TorchTokenScorer(TokenClassifier model, HfTokenizer tokenizer) : base(tokenizer, model.Config.MaxSequenceLength)
    {
        _model = model;
        _model.eval();
    }

    /// <summary>Loads the checkpoint and tokenizer in <paramref name="modelDir"/> (HF layout).</summary>
    public static TorchTokenScorer Load(string modelDir, Action<string>? log = null) =>
        new(CheckpointLoader.Load(modelDir, log: log), HfTokenizer.Load(modelDir));

    /// <inheritdoc/>
    public override IReadOnlyList<string> Labels => _model.Config.Labels;

    /// <summary>The model's configuration (base model type, sizes, labels).</summary>
    public ModelConfig Config => _model.Config;

    /// <inheritdoc/>
    protected override float[] Logits(EncodedBatch batch)
    {
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var inputIds = tensor(batch.InputIds, [batch.BatchSize, batch.SeqLen]);        // (B, T)
        var attention = tensor(batch.AttentionMask, [batch.BatchSize, batch.SeqLen]);  // (B, T)
        return _model.call(inputIds, attention, null).contiguous().data<float>().ToArray(); // (B, T, L)
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) _model.Dispose();
    }
}
