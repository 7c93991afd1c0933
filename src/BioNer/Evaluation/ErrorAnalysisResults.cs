namespace BioNer.Evaluation;

/// <summary>
/// What happened to one gold or predicted entity once gold and predictions are paired (see
/// <see cref="ErrorAnalysis"/>). Why these six and not seqeval's TP/FP/FN: when F1 is low, users ask whether the model
/// finds the mentions but names them wrongly, cuts them at the wrong word, or misses them altogether; seqeval counts all
/// three as one false positive plus one false negative.
/// </summary>
public enum ErrorCategory
{
    /// <summary>Same boundaries, same type (seqeval's true positive).</summary>
    ExactMatch,

    /// <summary>Same boundaries, other type.</summary>
    WrongType,

    /// <summary>Overlapping, other boundaries, same type.</summary>
    WrongBoundary,

    /// <summary>Overlapping, other boundaries and other type.</summary>
    BothWrong,

    /// <summary>A gold entity that no prediction is paired with.</summary>
    Missed,

    /// <summary>A prediction that is paired with no gold entity.</summary>
    Spurious,
}

/// <summary>The four evaluation schemes of SemEval-2013 Task 9.1, as nervaluate names them.</summary>
public enum MatchScheme
{
    /// <summary>Exact boundaries and type (nervaluate <c>strict</c>; equals seqeval's counts when pairs are one to one).</summary>
    Strict,

    /// <summary>Exact boundaries, any type (nervaluate <c>exact</c>).</summary>
    Exact,

    /// <summary>Any overlap, any type; an overlap with other boundaries counts half (nervaluate <c>partial</c>).</summary>
    Partial,

    /// <summary>Any overlap, same type (nervaluate <c>ent_type</c>).</summary>
    EntType,
}

/// <summary>
/// nervaluate's counts for one scheme (COR, INC, PAR, MIS, SPU) and the scores derived from them, with nervaluate's
/// formulas: POS = COR + INC + PAR + MIS, ACT = COR + INC + PAR + SPU; for <see cref="MatchScheme.Partial"/> and
/// <see cref="MatchScheme.EntType"/> P = (COR + 0.5 PAR) / ACT and R = (COR + 0.5 PAR) / POS, otherwise COR / ACT and
/// COR / POS; F1 = 2 P R / (P + R); a zero denominator gives 0.
/// </summary>
/// <param name="Scheme">Which scheme the counts are for.</param>
/// <param name="Correct">COR.</param>
/// <param name="Incorrect">INC.</param>
/// <param name="Partial">PAR (only the partial scheme has any).</param>
/// <param name="Missed">MIS.</param>
/// <param name="Spurious">SPU.</param>
public sealed record SchemeScores(MatchScheme Scheme, long Correct, long Incorrect, long Partial, long Missed,
    long Spurious)
{
    /// <summary>Gold entities that count: COR + INC + PAR + MIS.</summary>
    public long Possible => Correct + Incorrect + Partial + Missed;

    /// <summary>Predicted entities that count: COR + INC + PAR + SPU.</summary>
    public long Actual => Correct + Incorrect + Partial + Spurious;

    private double Credit => Scheme is MatchScheme.Partial or MatchScheme.EntType ? Correct + 0.5 * Partial : Correct;

    /// <summary>Precision as nervaluate computes it; 0 when <see cref="Actual"/> is 0.</summary>
    public double Precision => Actual > 0 ? Credit / Actual : 0.0;

    /// <summary>Recall as nervaluate computes it; 0 when <see cref="Possible"/> is 0.</summary>
    public double Recall => Possible > 0 ? Credit / Possible : 0.0;

    /// <summary>F1 as nervaluate computes it: <c>2 * (p * r) / (p + r)</c>, 0 when p + r is 0.</summary>
    public double F1 => Precision + Recall > 0 ? 2 * (Precision * Recall) / (Precision + Recall) : 0.0;

    /// <summary>The scheme's name in nervaluate's output (<c>strict</c>, <c>exact</c>, <c>partial</c>, <c>ent_type</c>).</summary>
    public string Name => SchemeName(Scheme);

    /// <summary>nervaluate's name of a scheme.</summary>
    public static string SchemeName(MatchScheme scheme) => scheme switch
    {
        MatchScheme.Strict => "strict",
        MatchScheme.Exact => "exact",
        MatchScheme.Partial => "partial",
        _ => "ent_type",
    };
}

/// <summary>
/// The four schemes' scores for one set of pairs. All four follow from the <see cref="CategoryCounts"/> of one pairing
/// (nervaluate 1.1.0 pairs every scheme the same way): e.g. a wrong type is INC in strict and ent_type, COR in exact and
/// partial; a wrong boundary is INC in strict and exact, PAR in partial, COR in ent_type.
/// </summary>
/// <param name="Strict">nervaluate <c>strict</c>.</param>
/// <param name="Exact">nervaluate <c>exact</c>.</param>
/// <param name="Partial">nervaluate <c>partial</c>.</param>
/// <param name="EntType">nervaluate <c>ent_type</c>.</param>
public sealed record SemEvalScores(SchemeScores Strict, SchemeScores Exact, SchemeScores Partial, SchemeScores EntType)
{
    /// <summary>The four in nervaluate's order of its results dict: strict, ent_type, partial, exact.</summary>
    public IReadOnlyList<SchemeScores> All => [Strict, EntType, Partial, Exact];

    /// <summary>Maps the six categories of one pairing onto the four schemes (the table in this type's summary).</summary>
    public static SemEvalScores FromCategories(CategoryCounts c)
    {
        long em = c.ExactMatch, wt = c.WrongType, wb = c.WrongBoundary, bw = c.BothWrong, mis = c.Missed, spu = c.Spurious;
        return new SemEvalScores(
            new SchemeScores(MatchScheme.Strict, em, wt + wb + bw, 0, mis, spu),
            new SchemeScores(MatchScheme.Exact, em + wt, wb + bw, 0, mis, spu),
            new SchemeScores(MatchScheme.Partial, em + wt, 0, wb + bw, mis, spu),
            new SchemeScores(MatchScheme.EntType, em + wb, wt + bw, 0, mis, spu));
    }
}

/// <summary>How many pairs fell into each <see cref="ErrorCategory"/>.</summary>
/// <param name="ExactMatch">Same boundaries and type.</param>
/// <param name="WrongType">Same boundaries, other type.</param>
/// <param name="WrongBoundary">Overlap, same type, other boundaries.</param>
/// <param name="BothWrong">Overlap, other type and boundaries.</param>
/// <param name="Missed">Unpaired gold entities.</param>
/// <param name="Spurious">Unpaired predictions.</param>
public sealed record CategoryCounts(long ExactMatch, long WrongType, long WrongBoundary, long BothWrong, long Missed,
    long Spurious)
{
    /// <summary>Gold entities counted here: every category but <see cref="Spurious"/>.</summary>
    public long Gold => ExactMatch + WrongType + WrongBoundary + BothWrong + Missed;

    /// <summary>Predicted entities counted here: every category but <see cref="Missed"/>.</summary>
    public long Predicted => ExactMatch + WrongType + WrongBoundary + BothWrong + Spurious;

    /// <summary>The count of one category.</summary>
    public long this[ErrorCategory category] => category switch
    {
        ErrorCategory.ExactMatch => ExactMatch,
        ErrorCategory.WrongType => WrongType,
        ErrorCategory.WrongBoundary => WrongBoundary,
        ErrorCategory.BothWrong => BothWrong,
        ErrorCategory.Missed => Missed,
        _ => Spurious,
    };

    /// <summary>The snake_case name of a category in JSON and in the report's ids (<c>wrong_type</c>).</summary>
    public static string Key(ErrorCategory category) => category switch
    {
        ErrorCategory.ExactMatch => "exact_match",
        ErrorCategory.WrongType => "wrong_type",
        ErrorCategory.WrongBoundary => "wrong_boundary",
        ErrorCategory.BothWrong => "both_wrong",
        ErrorCategory.Missed => "missed",
        _ => "spurious",
    };

    /// <summary>A category's name for people (<c>wrong type</c>).</summary>
    public static string Title(ErrorCategory category) => Key(category).Replace('_', ' ');

    internal static CategoryCounts From(long[] c) => new(c[0], c[1], c[2], c[3], c[4], c[5]);
}

/// <summary>
/// One pairing outcome: a gold entity, a prediction, or both. Positions are word indices inside the sentence
/// (<see cref="Chunk.End"/> inclusive), not seqeval's flattened positions.
/// </summary>
/// <param name="Category">What happened.</param>
/// <param name="Sentence">0-based sentence index.</param>
/// <param name="Gold">The gold entity; null for <see cref="ErrorCategory.Spurious"/>.</param>
/// <param name="Predicted">The prediction; null for <see cref="ErrorCategory.Missed"/>.</param>
/// <param name="GoldText">The gold entity's words joined by spaces; null without gold entity or without words.</param>
/// <param name="PredictedText">The prediction's words joined by spaces; null without prediction or without words.</param>
public sealed record ErrorCase(ErrorCategory Category, int Sentence, Chunk? Gold, Chunk? Predicted, string? GoldText,
    string? PredictedText);

/// <summary>One entity type's rows of the analysis.</summary>
/// <param name="Type">The entity type.</param>
/// <param name="Schemes">
/// nervaluate's per-type scores: gold and predictions of this type only, paired again (as nervaluate 1.1.0's
/// <c>entities</c> results), so a wrong type is a miss here and a spurious entity of the predicted type.
/// </param>
/// <param name="Categories">
/// The overall pairing's categories, counted under the gold entity's type (a spurious prediction under its own type):
/// "of the Chemical mentions, how many got another type".
/// </param>
public sealed record TypeErrors(string Type, SemEvalScores Schemes, CategoryCounts Categories);

/// <summary>
/// Gold type (rows) × predicted type (columns) over the pairs of the overall pairing, with a last row and column
/// <see cref="None"/>: a missed gold entity counts in column none, a spurious prediction in row none. Row sums are the
/// gold entities per type, column sums the predictions per type; the diagonal holds exact matches and wrong boundaries.
/// </summary>
/// <param name="Labels">The entity types in ordinal order, then <see cref="None"/>; rows and columns alike.</param>
/// <param name="Counts">Counts[gold][predicted].</param>
public sealed record ConfusionMatrix(IReadOnlyList<string> Labels, IReadOnlyList<IReadOnlyList<long>> Counts)
{
    /// <summary>The label of the row and column for "no entity".</summary>
    public const string None = "none";

    /// <summary>The count for a gold and a predicted label (an entity type or <see cref="None"/>); 0 for an unknown one.</summary>
    public long this[string gold, string predicted]
    {
        get
        {
            int g = IndexOf(gold), p = IndexOf(predicted);
            return g < 0 || p < 0 ? 0 : Counts[g][p];
        }
    }

    // The none label is always last, so a type literally named "none" is still found first.
    private int IndexOf(string label) =>
        label == None ? Labels.Count - 1 : Labels.Take(Labels.Count - 1).ToList().IndexOf(label);
}

/// <summary>Everything <see cref="ErrorAnalysis"/> computes; <see cref="ToJson"/> gives it as JSON.</summary>
/// <param name="Sentences">Number of sentences analysed.</param>
/// <param name="Overall">nervaluate's four schemes over all types.</param>
/// <param name="Categories">The six categories over all types.</param>
/// <param name="Types">Per entity type (types seen in gold or predictions, ordinal order).</param>
/// <param name="Confusion">The type-confusion matrix of the pairs.</param>
/// <param name="Cases">Every pair, missed and spurious entity, by sentence, then position.</param>
/// <param name="MinOverlapPercentage">nervaluate's <c>min_overlap_percentage</c> the pairing used.</param>
public sealed partial record ErrorAnalysisResult(int Sentences, SemEvalScores Overall, CategoryCounts Categories,
    IReadOnlyList<TypeErrors> Types, ConfusionMatrix Confusion, IReadOnlyList<ErrorCase> Cases,
    double MinOverlapPercentage)
{
    /// <summary>Partial-match F1: nervaluate's partial scheme, where an overlap with other boundaries earns half.</summary>
    public double PartialF1 => Overall.Partial.F1;

    /// <summary>The type row named <paramref name="type"/>, or null.</summary>
    public TypeErrors? this[string type] => Types.FirstOrDefault(t => t.Type == type);
}
