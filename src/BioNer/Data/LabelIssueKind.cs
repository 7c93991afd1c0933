namespace BioNer.Data;

/// <summary>What is wrong with a label sequence under a scheme (see <see cref="Schemes.Validate"/>).</summary>
public enum LabelIssueKind
{
    /// <summary>Not <c>O</c> and not <c>P-Type</c> with a prefix the scheme uses and a non-empty type (<c>B-</c>, <c>X-Foo</c>).</summary>
    Malformed,
    /// <summary>A continuation prefix (<c>I-</c>, <c>E-</c>, <c>L-</c>) with no open span before it (after <c>O</c> or at the start).</summary>
    Orphan,
    /// <summary>A continuation whose type differs from the open span's type (<c>B-X I-Y</c>).</summary>
    TypeChange,
    /// <summary>A span left open where the scheme requires an explicit end (<c>B-X O</c> in IOBES, <c>I-X O</c> in IOE2).</summary>
    Unterminated,
    /// <summary>A boundary prefix the scheme only allows between adjacent same-type spans (IOB1 <c>B-</c>, IOE1 <c>E-</c>) used elsewhere.</summary>
    NeedlessBoundary,
}
