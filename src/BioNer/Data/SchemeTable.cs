using static BioNer.Data.LabelTable.Prefix;

namespace BioNer.Data;

/// <summary>
/// The tagging schemes as data, one row per scheme: the prefixes it allows, how it spells a span, the rules readers
/// validate labels with, seqeval's strict-mode transition patterns (<c>scheme.py</c>, the <c>IOB1</c>, <c>IOB2</c>, ...
/// classes: each pattern is previous prefixes, current prefixes, same/different/any type) and the prefix sets seqeval's
/// <c>auto_detect</c> accepts. Why one table: readers, writers, both chunkers and both detectors read the same row, and
/// every row can be checked against seqeval line by line.
/// </summary>
internal sealed class SchemeTable
{
    /// <summary>How a prefix behaves when validating: must continue an open span, may continue one, or always starts one.</summary>
    internal enum Continue { Never, May, Must }

    /// <summary>One prefix for validation: whether it continues a span, closes it, and may only stand between touching same-type spans.</summary>
    internal sealed record PrefixRule(Continue Continues, bool Closes, bool OnlyBetweenAdjacent);

    /// <summary>
    /// How a span is written: the prefix of a single-word span, of a longer span's first, middle and last word; for IOB1
    /// and IOE1 the marker that replaces First (Last) where a same-type span touches the span before (after).
    /// </summary>
    internal sealed record Spelling(char Single, char First, char Middle, char Last, char? AdjacentFirst = null,
        char? AdjacentLast = null);

    private enum TypeCond : byte { Same = 1, Diff = 2, Any = 3 }

    private readonly record struct Pattern(string Prev, string Current, TypeCond Type);

    private const string AnyPrefix = "IOBESUL";

    private static readonly PrefixRule Starts = new(Continue.Never, false, false);
    private static readonly PrefixRule StartsAndCloses = new(Continue.Never, true, false);
    private static readonly PrefixRule Inside = new(Continue.Must, false, false);
    private static readonly PrefixRule InsideOrStarts = new(Continue.May, false, false);
    private static readonly PrefixRule Ends = new(Continue.Must, true, false);
    private static readonly PrefixRule EndsOrSingle = new(Continue.May, true, false);

    private static readonly Dictionary<TaggingScheme, SchemeTable> Tables = new()
    {
        [TaggingScheme.IOB1] = new("IOB", new('I', 'I', 'I', 'I', AdjacentFirst: 'B'), needsExplicitEnd: false,
            rules: new() { ['I'] = InsideOrStarts, ['B'] = new(Continue.Never, false, true) },
            start: [new("O", "I", TypeCond.Any), new("I", "I", TypeCond.Diff), new("B", "I", TypeCond.Any),
                new("I", "B", TypeCond.Same), new("B", "B", TypeCond.Same)],
            inside: [new("B", "I", TypeCond.Same), new("I", "I", TypeCond.Same)],
            end: [new("I", "I", TypeCond.Diff), new("I", "O", TypeCond.Any), new("I", "B", TypeCond.Any),
                new("B", "O", TypeCond.Any), new("B", "I", TypeCond.Diff), new("B", "B", TypeCond.Same)],
            detectedFrom: []),
        [TaggingScheme.IOE1] = new("IOE", new('I', 'I', 'I', 'I', AdjacentLast: 'E'), needsExplicitEnd: false,
            rules: new() { ['I'] = InsideOrStarts, ['E'] = new(Continue.May, true, true) },
            start: [new("O", "I", TypeCond.Any), new("I", "I", TypeCond.Diff), new("E", "I", TypeCond.Any),
                new("E", "E", TypeCond.Same)],
            inside: [new("I", "I", TypeCond.Same), new("I", "E", TypeCond.Same)],
            end: [new("I", "I", TypeCond.Diff), new("I", "O", TypeCond.Any), new("I", "E", TypeCond.Diff),
                new("E", "I", TypeCond.Same), new("E", "E", TypeCond.Same)],
            detectedFrom: []),
        [TaggingScheme.IOB2] = new("IOB", new('B', 'B', 'I', 'I'), needsExplicitEnd: false,
            rules: new() { ['B'] = Starts, ['I'] = Inside },
            start: [new(AnyPrefix, "B", TypeCond.Any)],
            inside: [new("B", "I", TypeCond.Same), new("I", "I", TypeCond.Same)],
            end: [new("I", "O", TypeCond.Any), new("I", "I", TypeCond.Diff), new("I", "B", TypeCond.Any),
                new("B", "O", TypeCond.Any), new("B", "I", TypeCond.Diff), new("B", "B", TypeCond.Any)],
            detectedFrom: ["IOB", "IB", "BO", "B"]),
        [TaggingScheme.IOE2] = new("IOE", new('E', 'I', 'I', 'E'), needsExplicitEnd: true,
            rules: new() { ['I'] = InsideOrStarts, ['E'] = EndsOrSingle },
            start: [new("O", "I", TypeCond.Any), new("O", "E", TypeCond.Any), new("E", "I", TypeCond.Any),
                new("E", "E", TypeCond.Any), new("I", "I", TypeCond.Diff), new("I", "E", TypeCond.Diff)],
            inside: [new("I", "E", TypeCond.Same), new("I", "I", TypeCond.Same)],
            end: [new("E", AnyPrefix, TypeCond.Any)],
            detectedFrom: ["IOE", "IE", "EO", "E"]),
        [TaggingScheme.IOBES] = new("IOBES", new('S', 'B', 'I', 'E'), needsExplicitEnd: true,
            rules: new() { ['B'] = Starts, ['I'] = Inside, ['E'] = Ends, ['S'] = StartsAndCloses },
            start: [new(AnyPrefix, "B", TypeCond.Any), new(AnyPrefix, "S", TypeCond.Any)],
            inside: [new("B", "I", TypeCond.Same), new("B", "E", TypeCond.Same), new("I", "I", TypeCond.Same),
                new("I", "E", TypeCond.Same)],
            end: [new("S", AnyPrefix, TypeCond.Any), new("E", AnyPrefix, TypeCond.Any)],
            detectedFrom: ["IOBES", "IBES", "IOBE", "OBES", "IBE", "BES", "OBE", "BE", "S"]),
        [TaggingScheme.BILOU] = new("BILOU", new('U', 'B', 'I', 'L'), needsExplicitEnd: true,
            rules: new() { ['B'] = Starts, ['I'] = Inside, ['L'] = Ends, ['U'] = StartsAndCloses },
            start: [new(AnyPrefix, "B", TypeCond.Any), new(AnyPrefix, "U", TypeCond.Any)],
            inside: [new("B", "I", TypeCond.Same), new("B", "L", TypeCond.Same), new("I", "I", TypeCond.Same),
                new("I", "L", TypeCond.Same)],
            end: [new("U", AnyPrefix, TypeCond.Any), new("L", AnyPrefix, TypeCond.Any)],
            detectedFrom: ["IOBLU", "IBLU", "IOBL", "OBLU", "IBL", "BLU", "OBL", "BL", "U"]),
    };

    /// <summary>
    /// The readers' tie-break order (<see cref="Schemes.Detect"/>): the most common scheme first, so ambiguous data
    /// reads as IOB2.
    /// </summary>
    public static IReadOnlyList<TaggingScheme> ReaderPreference { get; } =
        [TaggingScheme.IOB2, TaggingScheme.IOB1, TaggingScheme.IOBES, TaggingScheme.BILOU, TaggingScheme.IOE2, TaggingScheme.IOE1];

    /// <summary>The order seqeval's <c>auto_detect</c> tries the schemes in (IOB1 and IOE1 it never detects).</summary>
    public static IReadOnlyList<TaggingScheme> SeqevalDetectionOrder { get; } =
        [TaggingScheme.IOB2, TaggingScheme.IOE2, TaggingScheme.IOBES, TaggingScheme.BILOU];

    private readonly bool[] _allowed = new bool[Count];
    private readonly bool[] _start, _inside, _end; // [prev * Count * 2 + current * 2 + (sameType ? 1 : 0)]

    private SchemeTable(string allowed, Spelling spelling, bool needsExplicitEnd, Dictionary<char, PrefixRule> rules,
        Pattern[] start, Pattern[] inside, Pattern[] end, string[] detectedFrom)
    {
        foreach (char c in allowed) _allowed[FromChar(c)] = true;
        AllowedPrefixes = allowed;
        Spell = spelling;
        NeedsExplicitEnd = needsExplicitEnd;
        Rules = rules;
        DetectedFrom = detectedFrom;
        _start = Expand(start);
        _inside = Expand(inside);
        _end = Expand(end);
    }

    /// <summary>The row of <paramref name="scheme"/>.</summary>
    public static SchemeTable For(TaggingScheme scheme) => Tables[scheme];

    /// <summary>The prefix letters the scheme allows, <c>O</c> included, in seqeval's order (<c>allowed_prefix</c>).</summary>
    public string AllowedPrefixes { get; }

    /// <summary>How the scheme writes a span.</summary>
    public Spelling Spell { get; }

    /// <summary>Whether every span must end with an end or single prefix (IOE2, IOBES, BILOU), for validation.</summary>
    public bool NeedsExplicitEnd { get; }

    /// <summary>The validation rule of each prefix the scheme uses, <c>O</c> left out.</summary>
    public IReadOnlyDictionary<char, PrefixRule> Rules { get; }

    /// <summary>The prefix sets (as letters) for which seqeval's <c>auto_detect</c> returns this scheme.</summary>
    public IReadOnlyList<string> DetectedFrom { get; }

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
