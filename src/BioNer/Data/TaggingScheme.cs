namespace BioNer.Data;

/// <summary>
/// The tagging schemes corpora come in. BioNer keeps IOB2 inside (see <see cref="Sentence"/>); readers convert with
/// <see cref="Schemes.ToIob2"/> and writers with <see cref="Schemes.FromIob2"/>.
/// </summary>
public enum TaggingScheme
{
    /// <summary>IOB1 (CoNLL-2003 original): spans start with <c>I-</c>; <c>B-</c> only where a span directly follows one of the same type.</summary>
    IOB1,
    /// <summary>IOB2 / BIO: every span starts with <c>B-</c>, continues with <c>I-</c>.</summary>
    IOB2,
    /// <summary>IOE1: spans are <c>I-</c>; the last word is <c>E-</c> only where a span of the same type directly follows.</summary>
    IOE1,
    /// <summary>IOE2: every span ends with <c>E-</c>, earlier words are <c>I-</c>.</summary>
    IOE2,
    /// <summary>IOBES: <c>B-</c> begin, <c>I-</c> inside, <c>E-</c> end, <c>S-</c> single-word span.</summary>
    IOBES,
    /// <summary>BILOU: as IOBES with <c>L-</c> (last) for <c>E-</c> and <c>U-</c> (unit) for <c>S-</c>.</summary>
    BILOU,
}
