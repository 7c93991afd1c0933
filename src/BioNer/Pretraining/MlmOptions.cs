using System.Text.Json;
using BioNer.Training;

namespace BioNer.Pretraining;

/// <summary>
/// The data and masking knobs of <c>bioner pretrain</c>, HF <c>run_mlm.py</c>'s <c>DataTrainingArguments</c> and
/// <c>DataCollatorForLanguageModeling</c>; the loop's own (learning rate, batch size, epochs, warm-up, clipping,
/// checkpoints, threads, <c>--max-length</c> as <c>max_seq_length</c>) are <see cref="TrainingOptions"/>, declared once
/// for both verbs. Each property is a flag and a <c>--config</c> key (<see cref="SettingAttribute"/>).
/// </summary>
public sealed record MlmOptions
{
    /// <summary>Share of (non-special) tokens chosen for prediction.</summary>
    [Setting("Share of tokens chosen for prediction (80% masked, 10% random, 10% kept)")]
    public double MlmProbability { get; init; } = 0.15;
    /// <summary>Choose whole words (all their sub-tokens) instead of single sub-tokens (HF's DataCollatorForWholeWordMask).</summary>
    [Setting("Mask whole words: all sub-tokens of a chosen word (WordPiece ## continuations, byte-level BPE Ġ word starts)")]
    public bool WholeWordMask { get; init; }
    /// <summary>One sequence per non-empty line (truncated to --max-length) instead of concatenating and chunking.</summary>
    [Setting("One sequence per non-empty line instead of concatenating the text and cutting it into --max-length blocks")]
    public bool LineByLine { get; init; }
    /// <summary>Percent of the text rows (from the start, as run_mlm.py's train[:N%]) held out for validation.</summary>
    [Setting("Percent of the text rows held out for validation (perplexity)")]
    public double ValidationSplitPercentage { get; init; } = 5;

    /// <summary>Throws <see cref="BioNerException"/> naming the first out-of-range setting by its flag.</summary>
    public void Validate()
    {
        if (!(MlmProbability > 0 && MlmProbability < 1)) throw Bad(nameof(MlmProbability), $"must be in (0, 1), got {MlmProbability}");
        if (!(ValidationSplitPercentage is >= 0 and < 100)) throw Bad(nameof(ValidationSplitPercentage), $"must be in [0, 100), got {ValidationSplitPercentage}");
    }

    private static BioNerException Bad(string property, string message) => new($"option {SettingOf(property)} {message}");

    /// <summary>Every declared setting.</summary>
    public static IReadOnlyList<Setting> Declared => BioNer.Settings.Of<MlmOptions>(Json);

    /// <summary>The declared setting of <paramref name="property"/>.</summary>
    public static Setting SettingOf(string property) => BioNer.Settings.For<MlmOptions>(property, Json);

    /// <summary>The JSON settings of run files (snake_case keys), as <see cref="TrainingOptions.Json"/>.</summary>
    public static JsonSerializerOptions Json => TrainingOptions.Json;
}
