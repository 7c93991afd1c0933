using BioNer.Data;
using static BioNer.Evaluation.LabelTable.Prefix;

namespace BioNer.Evaluation;

/// <summary>
/// The allowed-transition tables of one strict-mode scheme, copied from seqeval's <c>scheme.py</c> (<c>IOB1</c>,
/// <c>IOB2</c>, ... classes): each pattern is (previous prefixes, current prefixes, same/different/any type). The tables
/// are data so that a scheme can be checked against seqeval line by line.
/// </summary>
internal sealed class SchemeTable
{
    private enum TypeCond : byte { Same = 1, Diff = 2, Any = 3 }

    private readonly record struct Pattern(string Prev, string Current, TypeCond Type);

    private const string AnyPrefix = "IOBESUL";

    private static readonly Dictionary<TaggingScheme, SchemeTable> Tables = new()
    {
        [TaggingScheme.IOB1] = new("IOB",
            start: [new("O", "I", TypeCond.Any), new("I", "I", TypeCond.Diff), new("B", "I", TypeCond.Any),
                new("I", "B", TypeCond.Same), new("B", "B", TypeCond.Same)],
            inside: [new("B", "I", TypeCond.Same), new("I", "I", TypeCond.Same)],
            end: [new("I", "I", TypeCond.Diff), new("I", "O", TypeCond.Any), new("I", "B", TypeCond.Any),
                new("B", "O", TypeCond.Any), new("B", "I", TypeCond.Diff), new("B", "B", TypeCond.Same)]),
        [TaggingScheme.IOE1] = new("IOE",
            start: [new("O", "I", TypeCond.Any), new("I", "I", TypeCond.Diff), new("E", "I", TypeCond.Any),
                new("E", "E", TypeCond.Same)],
            inside: [new("I", "I", TypeCond.Same), new("I", "E", TypeCond.Same)],
            end: [new("I", "I", TypeCond.Diff), new("I", "O", TypeCond.Any), new("I", "E", TypeCond.Diff),
                new("E", "I", TypeCond.Same), new("E", "E", TypeCond.Same)]),
        [TaggingScheme.IOB2] = new("IOB",
            start: [new(AnyPrefix, "B", TypeCond.Any)],
            inside: [new("B", "I", TypeCond.Same), new("I", "I", TypeCond.Same)],
            end: [new("I", "O", TypeCond.Any), new("I", "I", TypeCond.Diff), new("I", "B", TypeCond.Any),
                new("B", "O", TypeCond.Any), new("B", "I", TypeCond.Diff), new("B", "B", TypeCond.Any)]),
        [TaggingScheme.IOE2] = new("IOE",
            start: [new("O", "I", TypeCond.Any), new("O", "E", TypeCond.Any), new("E", "I", TypeCond.Any),
                new("E", "E", TypeCond.Any), new("I", "I", TypeCond.Diff), new("I", "E", TypeCond.Diff)],
            inside: [new("I", "E", TypeCond.Same), new("I", "I", TypeCond.Same)],
            end: [new("E", AnyPrefix, TypeCond.Any)]),
        [TaggingScheme.IOBES] = new("IOBES",
            start: [new(AnyPrefix, "B", TypeCond.Any), new(AnyPrefix, "S", TypeCond.Any)],
            inside: [new("B", "I", TypeCond.Same), new("B", "E", TypeCond.Same), new("I", "I", TypeCond.Same),
                new("I", "E", TypeCond.Same)],
            end: [new("S", AnyPrefix, TypeCond.Any), new("E", AnyPrefix, TypeCond.Any)]),
        [TaggingScheme.BILOU] = new("BILOU",
            start: [new(AnyPrefix, "B", TypeCond.Any), new(AnyPrefix, "U", TypeCond.Any)],
            inside: [new("B", "I", TypeCond.Same), new("B", "L", TypeCond.Same), new("I", "I", TypeCond.Same),
                new("I", "L", TypeCond.Same)],
            end: [new("U", AnyPrefix, TypeCond.Any), new("L", AnyPrefix, TypeCond.Any)]),
    };

    private readonly bool[] _allowed = new bool[Count];
    private readonly bool[] _start, _inside, _end; // [prev * Count * 2 + current * 2 + (sameType ? 1 : 0)]

    private SchemeTable(string allowed, Pattern[] start, Pattern[] inside, Pattern[] end)
    {
        foreach (char c in allowed) _allowed[FromChar(c)] = true;
        AllowedPrefixes = allowed;
        _start = Expand(start);
        _inside = Expand(inside);
        _end = Expand(end);
    }

    /// <summary>The table of <paramref name="scheme"/>.</summary>
    public static SchemeTable For(TaggingScheme scheme) => Tables[scheme];

    /// <summary>The prefix letters the scheme allows (seqeval <c>allowed_prefix</c>).</summary>
    public string AllowedPrefixes { get; }

    /// <summary>Whether prefix code <paramref name="prefix"/> is allowed in this scheme.</summary>
    public bool IsAllowed(byte prefix) => _allowed[prefix];

    /// <summary>seqeval <c>Token.is_start(prev)</c>.</summary>
    public bool IsStart(byte prev, byte current, bool sameType) => _start[Index(prev, current, sameType)];

    /// <summary>seqeval <c>Token.is_inside(prev)</c>.</summary>
    public bool IsInside(byte prev, byte current, bool sameType) => _inside[Index(prev, current, sameType)];

    /// <summary>seqeval <c>Token.is_end(prev)</c>: does the previous token end a chunk?</summary>
    public bool IsEnd(byte prev, byte current, bool sameType) => _end[Index(prev, current, sameType)];

    private static int Index(byte prev, byte current, bool same) => (prev * Count + current) * 2 + (same ? 1 : 0);

    private static bool[] Expand(Pattern[] patterns)
    {
        var table = new bool[Count * Count * 2];
        foreach (var p in patterns)
            foreach (char prev in p.Prev)
                foreach (char cur in p.Current)
                {
                    if (p.Type.HasFlag(TypeCond.Same)) table[Index((byte)FromChar(prev), (byte)FromChar(cur), true)] = true;
                    if (p.Type.HasFlag(TypeCond.Diff)) table[Index((byte)FromChar(prev), (byte)FromChar(cur), false)] = true;
                }
        return table;
    }
}
