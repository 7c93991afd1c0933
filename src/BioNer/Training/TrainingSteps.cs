using BioNer.Modeling;
using BioNer.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace BioNer.Training;

/// <summary>
/// The arithmetic of one training step, apart from the bookkeeping around it: forward + loss + backward of a padded
/// batch, then clip + AdamW (<see cref="FusedAdamW"/>). Why a separate type: <see cref="FineTuner"/> runs its loop through these methods, and the
/// throughput benchmark (<c>benchmarks/BioNer.Benchmarks -- train</c>) calls the very same ones, so the measured
/// tokens/s is the trainer's, not a re-implementation's. The caller owns the dispose scope of each step.
/// </summary>
public static class TrainingSteps
{
    /// <summary>
    /// Forward + cross-entropy (labels −100 ignored) + backward of one micro-batch; gradients accumulate in the
    /// parameters until <see cref="ApplyGradients"/>. The loss is divided by <paramref name="accumulationSteps"/> before
    /// backward, so accumulated micro-batches average. Returns the unscaled mean loss, or NaN (and no backward) when the
    /// batch holds no labelled position. Call inside the caller's <c>torch.NewDisposeScope()</c>.
    /// </summary>
    /// <param name="model">The model, in train mode.</param>
    /// <param name="batch">A padded (B, T) batch from <see cref="Collator.Pad"/>.</param>
    /// <param name="accumulationSteps">Micro-batches per optimizer step (at least 1).</param>
    public static float ForwardBackward(TokenClassifier model, EncodedBatch batch, int accumulationSteps = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(accumulationSteps, 1);
        var loss = model.Forward(batch, withLabels: true).Loss!;                          // (B, T, L) logits, mean loss
        float value = loss.item<float>();
        if (!float.IsNaN(value)) (loss / accumulationSteps).backward();                          // NaN: no labelled token
        return value;
    }

    /// <summary>
    /// Sets <paramref name="learningRate"/>, clips the global gradient L2 norm to <paramref name="maxGradNorm"/>
    /// (0 = no clipping), applies one AdamW step and clears the gradients, in one pass over the contiguous buffers
    /// (<see cref="FusedAdamW"/>). Returns the gradient norm before clipping (HF's <c>grad_norm</c>).
    /// </summary>
    public static double ApplyGradients(FusedAdamW optimizer, double maxGradNorm, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return optimizer.Step(learningRate, maxGradNorm);
    }

    /// <summary>
    /// HF Trainer's rule for the group without weight decay, by parameter name: biases and LayerNorm weights.
    /// </summary>
    public static bool NoWeightDecay(string name) =>
        name.EndsWith(".bias", StringComparison.Ordinal) || name.Contains("LayerNorm", StringComparison.Ordinal);

    /// <summary>
    /// AdamW with the options' betas, epsilon and weight decay over <paramref name="model"/>'s parameters, moved into
    /// contiguous buffers, in HF Trainer's two groups (<see cref="NoWeightDecay"/>), plus a CRF head's scores in a third
    /// at <see cref="TrainingOptions.CrfLearningRateScale()"/> × the rate. Create it once the model is final (labels
    /// extended, checkpoint loaded): parameters replaced later are not seen.
    /// </summary>
    public static FusedAdamW CreateOptimizer(TorchSharp.torch.nn.Module model, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        return new FusedAdamW(model.named_parameters(), NoWeightDecay, options.WeightDecay, options.Beta1, options.Beta2, options.Epsilon,
            name => name.StartsWith("crf.", StringComparison.Ordinal), options.CrfLearningRateScale());
    }
}
