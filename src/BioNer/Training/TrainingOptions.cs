using System.Text.Json;
using System.Text.Json.Serialization;

namespace BioNer.Training;

/// <summary>
/// Every knob of a fine-tuning run. The defaults are the reference recipe of
/// <c>roberta-base-biomedical-clinical-es-finetuned-ner-CRAFT_AugmentedTransfer_ES</c>: lr 3e-5, batch 8, seed 42,
/// AdamW (0.9, 0.999, 1e-8), weight decay 0, linear decay, 4 epochs, clipping at 1.0, first-sub-token labelling.
/// Each property is declared once with <see cref="SettingAttribute"/>: that gives its <c>bioner train</c> flag, its key in a
/// <c>--config run.json</c> (the property name in snake_case, as this record serialises) and its help text; flags
/// override the config file.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Peak learning rate of AdamW.</summary>
    [Setting("Learning rate", Flag = "lr")]
    public double LearningRate { get; init; } = 3e-5;
    /// <summary>Sequences per optimizer micro-batch.</summary>
    [Setting("Train batch size", Flag = "batch-size")]
    public int TrainBatchSize { get; init; } = 8;
    /// <summary>Sequences per evaluation batch.</summary>
    [Setting("Eval batch size")]
    public int EvalBatchSize { get; init; } = 8;
    /// <summary>Seed for data order, dropout and new head initialisation.</summary>
    [Setting("Seed")]
    public long Seed { get; init; } = 42;
    /// <summary>AdamW beta1.</summary>
    [Setting("AdamW beta1")]
    public double Beta1 { get; init; } = 0.9;
    /// <summary>AdamW beta2.</summary>
    [Setting("AdamW beta2")]
    public double Beta2 { get; init; } = 0.999;
    /// <summary>AdamW epsilon.</summary>
    [Setting("AdamW epsilon")]
    public double Epsilon { get; init; } = 1e-8;
    /// <summary>Decoupled weight decay (not applied to biases and LayerNorm weights, as HF Trainer does).</summary>
    [Setting("AdamW weight decay")]
    public double WeightDecay { get; init; }
    /// <summary>Number of passes over the training data.</summary>
    [Setting("Epochs")]
    public int Epochs { get; init; } = 4;
    /// <summary>When positive, stop after this many optimizer steps (overrides <see cref="Epochs"/>).</summary>
    [Setting("Stop after N optimizer steps (0 = run all epochs)")]
    public int MaxSteps { get; init; }
    /// <summary>Share of total steps used for linear warm-up (ignored when <see cref="WarmupSteps"/> is set).</summary>
    [Setting("Warm-up share of steps")]
    public double WarmupRatio { get; init; }
    /// <summary>Absolute number of warm-up steps.</summary>
    [Setting("Warm-up steps (overrides the warm-up ratio when set)")]
    public int WarmupSteps { get; init; }
    /// <summary>Micro-batches accumulated per optimizer step.</summary>
    [Setting("Gradient accumulation steps", Flag = "grad-accum")]
    public int GradientAccumulationSteps { get; init; } = 1;
    /// <summary>Global gradient-norm clipping threshold (0 disables).</summary>
    [Setting("Gradient clipping (0 disables)")]
    public double MaxGradNorm { get; init; } = 1.0;
    /// <summary>Maximum sub-tokens per window including special tokens; longer sentences are split, never cut.</summary>
    [Setting("Max sub-tokens per window; longer sentences are split", Flag = "max-length")]
    public int MaxSequenceLength { get; init; } = 128;
    /// <summary>Label every sub-token (B-X becomes I-X on continuations) instead of only the first.</summary>
    [Setting("Label every sub-token, not only the first")]
    public bool LabelAllTokens { get; init; }
    /// <summary>Evaluate on dev every N optimizer steps in addition to each epoch end (0 = epoch ends only).</summary>
    [Setting("Also evaluate every N steps (0 = epoch ends only)")]
    public int EvalSteps { get; init; }
    /// <summary>Save a resumable checkpoint every N optimizer steps in addition to each epoch end (0 = epoch ends only).</summary>
    [Setting("Also checkpoint every N steps (0 = epoch ends only)")]
    public int SaveSteps { get; init; }
    /// <summary>
    /// How many checkpoints to keep, the newest by step (HF <c>save_total_limit</c>; 0 keeps all). Why 1 by default: a
    /// MiniLM checkpoint is ~270 MB with its optimizer moments, and resuming needs only the newest; keep more to score
    /// earlier steps afterwards.
    /// </summary>
    [Setting("Checkpoints kept, the newest by step (0 = all)")]
    public int SaveTotalLimit { get; init; } = 1;
    /// <summary>Stop when dev F1 has not improved for this many evaluations (0 disables).</summary>
    [Setting("Stop after N evaluations without dev F1 improvement (0 disables)", Flag = "early-stopping")]
    public int EarlyStoppingPatience { get; init; }
    /// <summary>Save the weights with the best dev F1 (true) or the last ones (false) as the model.</summary>
    [Setting("Keep the last weights instead of the best by dev F1", Flag = "keep-last", FlagClears = true)]
    public bool LoadBestModelAtEnd { get; init; } = true;
    /// <summary>Intra-op CPU threads for libtorch (0 = libtorch's default, all cores).</summary>
    [Setting("libtorch CPU threads (0 = all cores)")]
    public int Threads { get; init; }
    /// <summary>Group sequences of similar length into batches (shuffled mega-batches) so little padding is computed.</summary>
    [Setting("Shuffle without length grouping", Flag = "no-group-by-length", FlagClears = true)]
    public bool GroupByLength { get; init; } = true;
    /// <summary>
    /// bf16 mixed precision (HF's <c>--bf16</c>): matmuls in bf16, fp32 master weights, optimizer state and checkpoints
    /// (<see cref="Modeling.TokenClassifier.ComputeInBf16"/>); dev and test scoring run the same way. Refused on a CPU
    /// without bf16 hardware (<see cref="Native.CpuFeatures.RequireBf16(string)"/>).
    /// </summary>
    [Setting("bf16 mixed precision: matmuls in bf16, fp32 master weights (needs a CPU with AMX or AVX512_BF16)")]
    public bool Bf16 { get; init; }
    /// <summary>
    /// Score dev and test with IOB2-constrained Viterbi instead of per-word argmax (<see cref="Inference.ConstrainedDecoding"/>);
    /// the best model is then picked by that F1. Off by default: HF's <c>run_ner.py</c> scores by argmax.
    /// </summary>
    [Setting("Score dev/test with IOB2-constrained decoding (no orphan I-) instead of argmax")]
    public bool ConstrainedDecoding { get; init; }
    /// <summary>
    /// The head to train (<see cref="Modeling.ModelConfig.Head"/>): <c>softmax</c> (HF's linear classifier, the
    /// reference recipe), <c>crf</c> (a <see cref="Modeling.LinearChainCrf"/> over the classifier's word-level
    /// emissions, trained with the CRF loss and decoded by Viterbi), or <c>auto</c>, the starting checkpoint's own
    /// (softmax for any HF checkpoint).
    /// </summary>
    [Setting("Head: auto (the checkpoint's), softmax, or crf (linear-chain CRF over word emissions, Viterbi decoding)")]
    public string Head { get; init; } = AutoHead;
    /// <summary>
    /// Peak learning rate of a CRF head's transition scores (0 = 100 × <see cref="LearningRate"/>); the same schedule
    /// scales it. Why its own: at an encoder's 3e-5 the transitions barely move in a few epochs.
    /// </summary>
    [Setting("Learning rate of the CRF transition scores (0 = 100 × --lr)", Flag = "crf-lr")]
    public double CrfLearningRate { get; init; }
    /// <summary>Log the running training loss every N optimizer steps.</summary>
    [Setting("Log the running training loss every N steps")]
    public int LoggingSteps { get; init; } = 50;

    /// <summary>
    /// Checks every value; throws <see cref="BioNerException"/> naming the first out-of-range setting by its flag and
    /// config key, both taken from its <see cref="SettingAttribute"/> declaration.
    /// </summary>
    public void Validate()
    {
        Require(LearningRate > 0 && LearningRate < 1, nameof(LearningRate), $"must be in (0, 1), got {LearningRate}");
        Require(TrainBatchSize >= 1, nameof(TrainBatchSize), $"must be at least 1, got {TrainBatchSize}");
        Require(EvalBatchSize >= 1, nameof(EvalBatchSize), $"must be at least 1, got {EvalBatchSize}");
        Require(Beta1 is >= 0 and < 1, nameof(Beta1), $"must be in [0, 1), got {Beta1}");
        Require(Beta2 is >= 0 and < 1, nameof(Beta2), $"must be in [0, 1), got {Beta2}");
        Require(Epsilon > 0, nameof(Epsilon), $"must be positive, got {Epsilon}");
        Require(WeightDecay >= 0, nameof(WeightDecay), $"must be >= 0, got {WeightDecay}");
        Require(Epochs >= 1 || MaxSteps > 0, nameof(Epochs), $"must be at least 1 (or set {SettingOf(nameof(MaxSteps)).Flag}), got {Epochs}");
        Require(MaxSteps >= 0, nameof(MaxSteps), $"must be >= 0, got {MaxSteps}");
        Require(WarmupRatio is >= 0 and <= 1, nameof(WarmupRatio), $"must be in [0, 1], got {WarmupRatio}");
        Require(WarmupSteps >= 0, nameof(WarmupSteps), $"must be >= 0, got {WarmupSteps}");
        Require(GradientAccumulationSteps >= 1, nameof(GradientAccumulationSteps), $"must be at least 1, got {GradientAccumulationSteps}");
        Require(MaxGradNorm >= 0, nameof(MaxGradNorm), $"must be >= 0, got {MaxGradNorm}");
        Require(MaxSequenceLength is >= 8 and <= 8192, nameof(MaxSequenceLength), $"must be in [8, 8192], got {MaxSequenceLength}");
        Require(EvalSteps >= 0, nameof(EvalSteps), $"must be >= 0, got {EvalSteps}");
        Require(SaveSteps >= 0, nameof(SaveSteps), $"must be >= 0, got {SaveSteps}");
        Require(SaveTotalLimit >= 0, nameof(SaveTotalLimit), $"must be >= 0, got {SaveTotalLimit}");
        Require(EarlyStoppingPatience >= 0, nameof(EarlyStoppingPatience), $"must be >= 0, got {EarlyStoppingPatience}");
        Require(Threads is >= 0 and <= 1024, nameof(Threads), $"must be in [0, 1024], got {Threads}");
        Require(LoggingSteps >= 1, nameof(LoggingSteps), $"must be at least 1, got {LoggingSteps}");
        Require(Head is AutoHead || Modeling.ModelConfig.SupportedHeads.Contains(Head), nameof(Head),
            $"must be {AutoHead}, {string.Join(" or ", Modeling.ModelConfig.SupportedHeads)}, got '{Head}'");
        Require(CrfLearningRate is >= 0 and < 1, nameof(CrfLearningRate), $"must be in [0, 1), got {CrfLearningRate}");
    }

    /// <summary>The <see cref="Head"/> value that keeps the starting checkpoint's head.</summary>
    public const string AutoHead = "auto";

    /// <summary>The head to give the model: null (keep the checkpoint's) for <see cref="AutoHead"/>.</summary>
    public string? HeadOverride() => Head == AutoHead ? null : Head;

    /// <summary>The CRF transitions' learning rate as a multiple of <see cref="LearningRate"/>.</summary>
    public double CrfLearningRateScale() => CrfLearningRate > 0 ? CrfLearningRate / LearningRate : 100;

    /// <summary>Every setting of a training run (flag, config key, help, default), from the declarations above.</summary>
    public static IReadOnlyList<Setting> Declared => BioNer.Settings.Of<TrainingOptions>(Json);

    /// <summary>The declared setting of <paramref name="property"/> (pass <c>nameof</c>).</summary>
    public static Setting SettingOf(string property) => BioNer.Settings.For<TrainingOptions>(property, Json);

    /// <summary>Reads a <c>--config</c> file: keys are the settings' snake_case names; an unknown key is an error.</summary>
    public static TrainingOptions ReadConfig(string path) => BioNer.Settings.ReadConfig<TrainingOptions>(path, Json);

    private static void Require(bool ok, string property, string message)
    {
        if (!ok) throw new BioNerException($"option {SettingOf(property)} {message}");
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
