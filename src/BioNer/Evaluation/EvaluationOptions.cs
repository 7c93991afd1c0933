using BioNer.Data;
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
    /// <see cref="TaggingScheme"/>; an ill-formed entity (e.g. <c>I-PER I-PER</c> in IOB2) is not counted at all.
    /// </summary>
    Strict,
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
