namespace BioNer.Evaluation;

/// <summary>
/// How entities are read out of label sequences. Why two modes: seqeval (and so every published HuggingFace NER score)
/// defaults to the lenient conlleval chunking, while strict mode only counts entities that are well-formed in a scheme.
/// </summary>
public enum EvaluationMode
{
    /// <summary>
    /// conlleval-compatible chunking (seqeval <c>get_entities</c>, <c>mode=None</c>): an <c>I-</c> after <c>O</c> or after
    /// another type starts an entity, so <c>I-PER I-PER</c> is one PER entity.
    /// </summary>
    Default,

    /// <summary>
    /// seqeval <c>mode='strict'</c>: entities are read with the allowed-transition tables of an
    /// <see cref="EvaluationScheme"/>; an ill-formed entity (e.g. <c>I-PER I-PER</c> in IOB2) is not counted at all.
    /// </summary>
    Strict,
}

/// <summary>
/// The tagging schemes of seqeval's strict mode (<c>seqeval.scheme</c>). Named <c>EvaluationScheme</c> so that it does not
/// clash with the data-conversion scheme type of <c>BioNer.Data</c>.
/// </summary>
public enum EvaluationScheme
{
    /// <summary>IOB1: <c>B-</c> only between two adjacent entities of the same type.</summary>
    IOB1,

    /// <summary>IOB2: every entity starts with <c>B-</c> (BioNer's internal scheme).</summary>
    IOB2,

    /// <summary>IOE1: <c>E-</c> only ends an entity followed by one of the same type.</summary>
    IOE1,

    /// <summary>IOE2: every entity ends with <c>E-</c>.</summary>
    IOE2,

    /// <summary>IOBES: begin, inside, end, single.</summary>
    IOBES,

    /// <summary>BILOU: begin, inside, last, outside, unit.</summary>
    BILOU,
}

/// <summary>
/// What a precision/recall/F1 with a zero denominator becomes (seqeval's <c>zero_division</c>). Why it matters: a type that
/// is never predicted has undefined precision, and the choice changes macro averages.
/// </summary>
public enum ZeroDivision
{
    /// <summary>seqeval's default <c>"warn"</c>: the value is 0 and a warning is added to the report.</summary>
    Warn,

    /// <summary>The value is 0, silently.</summary>
    Zero,

    /// <summary>The value is 1, silently.</summary>
    One,
}
