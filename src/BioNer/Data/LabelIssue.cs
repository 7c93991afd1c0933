namespace BioNer.Data;

/// <summary>One problem in a label sequence.</summary>
/// <param name="Index">0-based word index of the offending label.</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Message">A readable explanation naming the label(s).</param>
public sealed record LabelIssue(int Index, LabelIssueKind Kind, string Message);
