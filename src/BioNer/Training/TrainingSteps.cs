using BioNer.Modeling;
using BioNer.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace BioNer.Training;

/// <summary>
/// The arithmetic of one training step, apart from the bookkeeping around it: forward + loss + backward of a padded
/// batch, then clip + AdamW. Why a separate type: <see cref="FineTuner"/> runs its loop through these methods, and the
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
    /// Clips the global gradient L2 norm to <paramref name="maxGradNorm"/> (0 = no clipping), sets
    /// <paramref name="learningRate"/> on every parameter group, applies one optimizer step and clears the gradients.
    /// </summary>
    public static void ApplyGradients(TokenClassifier model, optim.Optimizer optimizer, double maxGradNorm, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        foreach (var g in optimizer.ParamGroups) g.LearningRate = learningRate;
        using (torch.NewDisposeScope())     // the gradient handles these calls open (one per parameter) die here
        {
            if (maxGradNorm > 0) nn.utils.clip_grad_norm_(model.parameters(), maxGradNorm, 2.0);
            optimizer.step();
            optimizer.zero_grad();
        }
    }

    /// <summary>
    /// AdamW with the options' betas, epsilon and learning rate, and HF Trainer's two parameter groups: weight decay on
    /// every weight except biases and LayerNorm weights, which get none.
    /// </summary>
    public static TorchSharp.Modules.AdamW CreateOptimizer(TokenClassifier model, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var named = model.named_parameters().ToList();
        bool NoDecay(string n) => n.EndsWith(".bias", StringComparison.Ordinal) || n.Contains("LayerNorm", StringComparison.Ordinal);
        var groups = new List<TorchSharp.Modules.AdamW.ParamGroup>
        {
            new(named.Where(p => !NoDecay(p.name)).Select(p => p.parameter), new TorchSharp.Modules.AdamW.Options { weight_decay = options.WeightDecay }),
            new(named.Where(p => NoDecay(p.name)).Select(p => p.parameter), new TorchSharp.Modules.AdamW.Options { weight_decay = 0 }),
        };
        return torch.optim.AdamW(groups, options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay);
    }
}
