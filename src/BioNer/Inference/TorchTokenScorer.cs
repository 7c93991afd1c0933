using BioNer.Checkpoints;
using BioNer.Modeling;
using BioNer.Tokenization;

namespace BioNer.Inference;

/// <summary>
/// <see cref="WindowScorer"/> over a HuggingFace-layout checkpoint run with TorchSharp (<see cref="TorchBatchScorer"/>).
/// Not thread-safe by itself; <see cref="NerPipeline"/> serialises calls.
/// </summary>
public sealed class TorchTokenScorer : WindowScorer
{
    /// <summary>
    /// Wraps a loaded model and its tokenizer. With <paramref name="ownsModel"/> (the default) the scorer disposes the
    /// model; the trainer passes false to score its live model between steps.
    /// </summary>
    public TorchTokenScorer(TokenClassifier model, HfTokenizer tokenizer, bool ownsModel = true)
        : base(new TorchBatchScorer(model, ownsModel), tokenizer)
    {
        Config = model.Config;
        Model = model;
    }

    /// <summary>The model the scorer runs (set <see cref="TokenClassifier.ComputeInBf16"/> on it for bf16 scoring).</summary>
    public TokenClassifier Model { get; }

    /// <summary>Loads the checkpoint and tokenizer in <paramref name="modelDir"/> (HF layout).</summary>
    public static TorchTokenScorer Load(string modelDir, Action<string>? log = null) =>
        Load(modelDir, modelDir, log);

    /// <summary>Loads the checkpoint in <paramref name="modelDir"/> with the tokenizer files of <paramref name="tokenizerDir"/>
    /// (an epoch checkpoint folder holds weights only).</summary>
    public static TorchTokenScorer Load(string modelDir, string tokenizerDir, Action<string>? log = null)
    {
        var tokenizer = HfTokenizer.Load(tokenizerDir);
        return new(CheckpointLoader.Load(modelDir, log: log), tokenizer);
    }

    /// <summary>The model's configuration (base model type, sizes, labels).</summary>
    public ModelConfig Config { get; }
}
