using System.Text.Json;
using System.Text.Json.Serialization;

namespace BioNer.Training;

/// <summary>
/// Every knob of a fine-tuning run. The defaults are the reference recipe of
/// <c>roberta-base-biomedical-clinical-es-finetuned-ner-CRAFT_AugmentedTransfer_ES</c>: lr 3e-5, batch 8, seed 42,
/// AdamW (0.9, 0.999, 1e-8), weight decay 0, linear decay, 4 epochs, clipping at 1.0, first-sub-token labelling.
/// Settings come from <c>--config run.json</c> (same property names, snake_case) with command-line flags overriding.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Peak learning rate of AdamW.</summary>
    public double LearningRate { get; init; } = 3e-5;
    /// <summary>Sequences per optimizer micro-batch.</summary>
    public int TrainBatchSize { get; init; } = 8;
    /// <summary>Sequences per evaluation batch.</summary>
    public int EvalBatchSize { get; init; } = 8;
    /// <summary>Seed for data order, dropout and new head initialisation.</summary>
    public long Seed { get; init; } = 42;
    /// <summary>AdamW beta1.</summary>
    public double Beta1 { get; init; } = 0.9;
    /// <summary>AdamW beta2.</summary>
    public double Beta2 { get; init; } = 0.999;
    /// <summary>AdamW epsilon.</summary>
    public double Epsilon { get; init; } = 1e-8;
    /// <summary>Decoupled weight decay (not applied to biases and LayerNorm weights, as HF Trainer does).</summary>
    public double WeightDecay { get; init; }
    /// <summary>Number of passes over the training data.</summary>
    public int Epochs { get; init; } = 4;
    /// <summary>When positive, stop after this many optimizer steps (overrides <see cref="Epochs"/>).</summary>
    public int MaxSteps { get; init; }
    /// <summary>Share of total steps used for linear warm-up (ignored when <see cref="WarmupSteps"/> is set).</summary>
    public double WarmupRatio { get; init; }
    /// <summary>Absolute number of warm-up steps.</summary>
    public int WarmupSteps { get; init; }
    /// <summary>Micro-batches accumulated per optimizer step.</summary>
    public int GradientAccumulationSteps { get; init; } = 1;
    /// <summary>Global gradient-norm clipping threshold (0 disables).</summary>
    public double MaxGradNorm { get; init; } = 1.0;
    /// <summary>Maximum sub-tokens per window including special tokens; longer sentences are split, never cut.</summary>
    public int MaxSequenceLength { get; init; } = 128;
    /// <summary>Label every sub-token (B-X becomes I-X on continuations) instead of only the first.</summary>
    public bool LabelAllTokens { get; init; }
    /// <summary>Evaluate on dev every N optimizer steps in addition to each epoch end (0 = epoch ends only).</summary>
    public int EvalSteps { get; init; }
    /// <summary>Save a resumable checkpoint every N optimizer steps in addition to each epoch end (0 = epoch ends only).</summary>
    public int SaveSteps { get; init; }
    /// <summary>Stop when dev F1 has not improved for this many evaluations (0 disables).</summary>
    public int EarlyStoppingPatience { get; init; }
    /// <summary>Keep the weights with the best dev F1 (true) or the last ones (false) as the final model.</summary>
    public bool LoadBestModelAtEnd { get; init; } = true;
    /// <summary>Intra-op CPU threads for libtorch (0 = libtorch's default, all cores).</summary>
    public int Threads { get; init; }
    /// <summary>Group sequences of similar length into batches (shuffled mega-batches) so little padding is computed.</summary>
    public bool GroupByLength { get; init; } = true;
    /// <summary>Log the running training loss every N optimizer steps.</summary>
    public int LoggingSteps { get; init; } = 50;

    /// <summary>Checks every value; throws <see cref="BioNerException"/> naming the first out-of-range option.</summary>
    public void Validate()
    {
        Require(LearningRate > 0 && LearningRate < 1, "--lr", $"must be in (0, 1), got {LearningRate}");
        Require(TrainBatchSize >= 1, "--batch-size", $"must be at least 1, got {TrainBatchSize}");
        Require(EvalBatchSize >= 1, "--eval-batch-size", $"must be at least 1, got {EvalBatchSize}");
        Require(Beta1 is >= 0 and < 1, "--beta1", $"must be in [0, 1), got {Beta1}");
        Require(Beta2 is >= 0 and < 1, "--beta2", $"must be in [0, 1), got {Beta2}");
        Require(Epsilon > 0, "--epsilon", $"must be positive, got {Epsilon}");
        Require(WeightDecay >= 0, "--weight-decay", $"must be >= 0, got {WeightDecay}");
        Require(Epochs >= 1 || MaxSteps > 0, "--epochs", $"must be at least 1 (or set --max-steps), got {Epochs}");
        Require(MaxSteps >= 0, "--max-steps", $"must be >= 0, got {MaxSteps}");
        Require(WarmupRatio is >= 0 and <= 1, "--warmup-ratio", $"must be in [0, 1], got {WarmupRatio}");
        Require(WarmupSteps >= 0, "--warmup-steps", $"must be >= 0, got {WarmupSteps}");
        Require(GradientAccumulationSteps >= 1, "--grad-accum", $"must be at least 1, got {GradientAccumulationSteps}");
        Require(MaxGradNorm >= 0, "--max-grad-norm", $"must be >= 0, got {MaxGradNorm}");
        Require(MaxSequenceLength is >= 8 and <= 8192, "--max-length", $"must be in [8, 8192], got {MaxSequenceLength}");
        Require(EvalSteps >= 0, "--eval-steps", $"must be >= 0, got {EvalSteps}");
        Require(SaveSteps >= 0, "--save-steps", $"must be >= 0, got {SaveSteps}");
        Require(EarlyStoppingPatience >= 0, "--early-stopping", $"must be >= 0, got {EarlyStoppingPatience}");
        Require(Threads is >= 0 and <= 1024, "--threads", $"must be in [0, 1024], got {Threads}");
        Require(LoggingSteps >= 1, "--logging-steps", $"must be at least 1, got {LoggingSteps}");
    }

    private static void Require(bool ok, string option, string message)
    {
        if (!ok) throw new BioNerException($"option {option} {message}");
    }

    /// <summary>JSON settings shared by run.json files and trainer_state.json (snake_case names).</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}
