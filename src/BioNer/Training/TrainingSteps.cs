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
    /// How long a run is, as HF Trainer counts it: optimizer steps per epoch (micro-batches of
    /// <see cref="TrainingOptions.TrainBatchSize"/> over <paramref name="sequences"/>, accumulated), the total
    /// (<see cref="TrainingOptions.MaxSteps"/> when set) and the epochs that total spans. Shared by fine-tuning and pretraining.
    /// </summary>
    public static (int StepsPerEpoch, int TotalSteps, int Epochs) Plan(int sequences, TrainingOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        int batches = (sequences + o.TrainBatchSize - 1) / o.TrainBatchSize;
        int perEpoch = Math.Max(1, (batches + o.GradientAccumulationSteps - 1) / o.GradientAccumulationSteps);
        int total = o.MaxSteps > 0 ? o.MaxSteps : perEpoch * o.Epochs;
        return (perEpoch, total, (total + perEpoch - 1) / perEpoch);
    }

    /// <summary>
    /// The batches of one epoch, indices into <paramref name="lengths"/>: length-grouped (shuffled mega-batches) or
    /// plainly shuffled, as a pure function of (seed, epoch), so a run resumed mid-epoch needs nothing stored to continue.
    /// </summary>
    public static IReadOnlyList<int[]> EpochBatches(IReadOnlyList<int> lengths, TrainingOptions o, int epoch)
    {
        ArgumentNullException.ThrowIfNull(o);
        var rng = new Random(unchecked((int)(o.Seed * 1_000_003 + epoch)));
        return o.GroupByLength ? LengthGroupedSampler.Batches(lengths.ToArray(), o.TrainBatchSize, rng)
            : LengthGroupedSampler.RandomBatches(lengths.Count, o.TrainBatchSize, rng);
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
