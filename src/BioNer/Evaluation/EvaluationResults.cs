using BioNer.Data;
namespace BioNer.Evaluation;

/// <summary>
/// An entity read from labels, as seqeval's <c>get_entities</c> returns it: type and inclusive token positions. For
/// nested input the positions index seqeval's flattened sequence (sentences joined with one <c>O</c> between them).
/// </summary>
/// <param name="Type">Entity type, e.g. <c>PER</c>.</param>
/// <param name="Start">Position of the first token.</param>
/// <param name="End">Position of the last token (inclusive).</param>
public readonly record struct Chunk(string Type, int Start, int End);

/// <summary>
/// The raw counts behind the micro scores, cheap to compute every epoch and additive over disjoint sentence sets
/// (with <c>+</c>), so a training loop can evaluate in batches and still report seqeval's micro P/R/F1 and accuracy.
/// </summary>
/// <param name="TruePositives">Predicted entities that equal a gold entity (type, start and end).</param>
/// <param name="Predicted">Predicted entities.</param>
/// <param name="Gold">Gold entities.</param>
/// <param name="CorrectTokens">Tokens whose predicted label string equals the gold one.</param>
/// <param name="Tokens">All tokens.</param>
public readonly record struct EntityCounts(long TruePositives, long Predicted, long Gold, long CorrectTokens, long Tokens)
{
    /// <summary>Micro precision; 0 when nothing was predicted (seqeval's <c>zero_division="warn"</c> value).</summary>
    public double Precision => Predicted == 0 ? 0.0 : (double)TruePositives / Predicted;

    /// <summary>Micro recall; 0 when there is no gold entity.</summary>
    public double Recall => Gold == 0 ? 0.0 : (double)TruePositives / Gold;

    /// <summary>Micro F1, computed as seqeval does from <see cref="Precision"/> and <see cref="Recall"/>.</summary>
    public double F1 => PrfMath.F1(Precision, Recall);

    /// <summary>Token accuracy (seqeval <c>accuracy_score</c>); 0 when there is no token.</summary>
    public double Accuracy => Tokens == 0 ? 0.0 : (double)CorrectTokens / Tokens;

    /// <summary>Sums the counts of two disjoint sets of sentences.</summary>
    public static EntityCounts operator +(EntityCounts a, EntityCounts b) => new(a.TruePositives + b.TruePositives,
        a.Predicted + b.Predicted, a.Gold + b.Gold, a.CorrectTokens + b.CorrectTokens, a.Tokens + b.Tokens);
}

/// <summary>
/// Everything <see cref="SeqevalMetrics.Evaluate"/> computes: the headline micro scores (what seqeval's
/// <c>precision_score</c>/<c>recall_score</c>/<c>f1_score</c> return by default), token accuracy, and the full report.
/// </summary>
/// <param name="Precision">Micro-averaged entity precision.</param>
/// <param name="Recall">Micro-averaged entity recall.</param>
/// <param name="F1">Micro-averaged entity F1.</param>
/// <param name="Accuracy">Token accuracy over all tokens (seqeval <c>accuracy_score</c>).</param>
/// <param name="Report">Per-type rows and micro/macro/weighted averages.</param>
/// <param name="Counts">The counts behind the micro scores.</param>
/// <param name="Mode">The mode used.</param>
/// <param name="Scheme">The scheme used in strict mode (given or detected); null in default mode.</param>
public sealed record EvaluationResult(double Precision, double Recall, double F1, double Accuracy,
    ClassificationReport Report, EntityCounts Counts, EvaluationMode Mode, TaggingScheme? Scheme);
