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

/// <summary>One problem in a label sequence.</summary>
/// <param name="Index">0-based word index of the offending label.</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Message">A readable explanation naming the label(s).</param>
public sealed record LabelIssue(int Index, LabelIssueKind Kind, string Message);

/// <summary>
/// Tagging-scheme detection, validation and conversion, seqeval-style: each scheme is a row of a data table saying how
/// a span is spelled (single word, first, middle, last) and which prefixes continue or close a span. Decoding any
/// scheme into spans uses the conlleval chunk rules (so an orphan <c>I-X</c> starts a span, as in seqeval's default
/// mode); encoding writes the table's prefixes.
/// </summary>
public static class Schemes
{
    /// <summary>How a prefix behaves when validating: must continue an open span, may continue one, or always starts one.</summary>
    private enum Continue { Never, May, Must }

    /// <summary>One prefix of a scheme: whether it continues a span, whether the span is closed after it.</summary>
    private sealed record PrefixRule(Continue Continues, bool Closes, bool OnlyBetweenAdjacent);

    /// <summary>
    /// One scheme's row: spelling of a span (Single, First, Middle, Last prefixes; for IOB1/IOE1 the adjacent-span
    /// marker replaces First/Last where a same-type span touches) and the validation rules per prefix.
    /// </summary>
    private sealed record SchemeRow(
        char Single, char First, char Middle, char Last, char? AdjacentFirst, char? AdjacentLast,
        bool NeedsExplicitEnd, IReadOnlyDictionary<char, PrefixRule> Prefixes);

    private static readonly PrefixRule Starts = new(Continue.Never, false, false);
    private static readonly PrefixRule StartsAndCloses = new(Continue.Never, true, false);
    private static readonly PrefixRule Inside = new(Continue.Must, false, false);
    private static readonly PrefixRule InsideOrStarts = new(Continue.May, false, false);
    private static readonly PrefixRule Ends = new(Continue.Must, true, false);
    private static readonly PrefixRule EndsOrSingle = new(Continue.May, true, false);

    private static readonly IReadOnlyDictionary<TaggingScheme, SchemeRow> Table = new Dictionary<TaggingScheme, SchemeRow>
    {
        [TaggingScheme.IOB2] = new('B', 'B', 'I', 'I', null, null, false,
            new Dictionary<char, PrefixRule> { ['B'] = Starts, ['I'] = Inside }),
        [TaggingScheme.IOB1] = new('I', 'I', 'I', 'I', 'B', null, false,
            new Dictionary<char, PrefixRule> { ['I'] = InsideOrStarts, ['B'] = new(Continue.Never, false, true) }),
        [TaggingScheme.IOE2] = new('E', 'I', 'I', 'E', null, null, true,
            new Dictionary<char, PrefixRule> { ['I'] = InsideOrStarts, ['E'] = EndsOrSingle }),
        [TaggingScheme.IOE1] = new('I', 'I', 'I', 'I', null, 'E', false,
            new Dictionary<char, PrefixRule> { ['I'] = InsideOrStarts, ['E'] = new(Continue.May, true, true) }),
        [TaggingScheme.IOBES] = new('S', 'B', 'I', 'E', null, null, true,
            new Dictionary<char, PrefixRule> { ['B'] = Starts, ['I'] = Inside, ['E'] = Ends, ['S'] = StartsAndCloses }),
        [TaggingScheme.BILOU] = new('U', 'B', 'I', 'L', null, null, true,
            new Dictionary<char, PrefixRule> { ['B'] = Starts, ['I'] = Inside, ['L'] = Ends, ['U'] = StartsAndCloses }),
    };

    /// <summary>Tie-break order for <see cref="Detect"/>: the most common scheme first, so ambiguous data reads as IOB2.</summary>
    private static readonly TaggingScheme[] Preference =
        [TaggingScheme.IOB2, TaggingScheme.IOB1, TaggingScheme.IOBES, TaggingScheme.BILOU, TaggingScheme.IOE2, TaggingScheme.IOE1];

    /// <summary>The outside label.</summary>
    public const string Outside = "O";

    /// <summary>
    /// Splits a label into prefix and type (<c>B-Chemical</c> → <c>('B', "Chemical")</c>, <c>O</c> → <c>('O', "")</c>),
    /// trimming spaces; null when malformed (no <c>-</c> after a one-letter prefix, or empty type). The prefix letter
    /// is not checked against a scheme here.
    /// </summary>
    public static (char Prefix, string Type)? Parse(string label)
    {
        string l = label.Trim();
        if (l == Outside) return ('O', "");
        if (l.Length < 3 || l[1] != '-' || !char.IsAsciiLetterUpper(l[0])) return null;
        string type = l[2..].Trim();
        return type.Length == 0 ? null : (l[0], type);
    }

    /// <summary>
    /// Guesses the scheme of a corpus's label sequences: the scheme with the fewest <see cref="Validate"/> issues,
    /// ties (e.g. all-<c>O</c> data, or single-word spans only) resolved towards IOB2, then IOB1, IOBES, BILOU, IOE2, IOE1.
    /// </summary>
    public static TaggingScheme Detect(IEnumerable<IReadOnlyList<string>> labelSeqs)
    {
        var seqs = labelSeqs as IReadOnlyCollection<IReadOnlyList<string>> ?? labelSeqs.ToList();
        var prefixes = seqs.SelectMany(s => s).Select(Parse).Where(p => p is { Prefix: not 'O' })
            .Select(p => p!.Value.Prefix).ToHashSet();
        TaggingScheme best = TaggingScheme.IOB2;
        long bestScore = long.MaxValue;
        foreach (var scheme in Preference)
        {
            // A prefix the scheme doesn't have outweighs any number of sequence-level issues.
            long score = prefixes.Count(p => !Table[scheme].Prefixes.ContainsKey(p)) * 1_000_000_000L;
            if (score > bestScore) continue;
            score += seqs.Sum(s => (long)Validate(s, scheme).Count);
            if (score < bestScore) (best, bestScore) = (scheme, score);
        }
        return best;
    }

    /// <summary>
    /// Checks <paramref name="labels"/> against <paramref name="scheme"/>'s rules and lists every problem with its word
    /// index (empty when valid). Readers turn these into <see cref="BioNerException"/>s naming file and line.
    /// </summary>
    public static IReadOnlyList<LabelIssue> Validate(IReadOnlyList<string> labels, TaggingScheme scheme)
    {
        var row = Table[scheme];
        var issues = new List<LabelIssue>();
        string? open = null;          // type of the span the previous word left open (null: none)
        string? prevType = null;      // type of the previous word (null: O or start)
        int closedAdjacentAt = -1;    // IOE1: index of an E- that needs a same-type span right after it
        for (int i = 0; i < labels.Count; i++)
        {
            var parsed = Parse(labels[i]);
            if (parsed is null || (parsed.Value.Prefix != 'O' && !row.Prefixes.ContainsKey(parsed.Value.Prefix)))
            {
                issues.Add(new(i, LabelIssueKind.Malformed, $"label '{labels[i].Trim()}' is not O or a {scheme} label (B-Type, I-Type, ...)"));
                open = prevType = null;
                continue;
            }
            var (prefix, type) = parsed.Value;
            if (closedAdjacentAt >= 0 && type != prevType)
                issues.Add(new(closedAdjacentAt, LabelIssueKind.NeedlessBoundary, $"'{labels[closedAdjacentAt].Trim()}' marks an end but no span of the same type follows"));
            closedAdjacentAt = -1;
            if (prefix == 'O')
            {
                if (open is not null && row.NeedsExplicitEnd) issues.Add(Unterminated(labels, i - 1, scheme));
                open = prevType = null;
                continue;
            }
            var rule = row.Prefixes[prefix];
            bool continues = rule.Continues != Continue.Never && open == type;
            if (!continues && open is not null && row.NeedsExplicitEnd) issues.Add(Unterminated(labels, i - 1, scheme));
            if (rule.Continues == Continue.Must && !continues)
                issues.Add(open is null
                    ? new(i, LabelIssueKind.Orphan, $"'{labels[i].Trim()}' continues a span but follows {(i == 0 ? "the sentence start" : $"'{labels[i - 1].Trim()}'")}")
                    : new(i, LabelIssueKind.TypeChange, $"'{labels[i].Trim()}' follows '{labels[i - 1].Trim()}': the type changes inside a span"));
            if (rule.OnlyBetweenAdjacent && rule.Continues == Continue.Never && prevType != type)
                issues.Add(new(i, LabelIssueKind.NeedlessBoundary, $"'{labels[i].Trim()}' marks a boundary but no span of the same type precedes it"));
            if (rule.OnlyBetweenAdjacent && rule.Closes) closedAdjacentAt = i;
            open = rule.Closes ? null : type;
            prevType = type;
        }
        if (closedAdjacentAt >= 0)
            issues.Add(new(closedAdjacentAt, LabelIssueKind.NeedlessBoundary, $"'{labels[closedAdjacentAt].Trim()}' marks an end but the sentence ends"));
        if (open is not null && row.NeedsExplicitEnd) issues.Add(Unterminated(labels, labels.Count - 1, scheme));
        return issues;
    }

    private static LabelIssue Unterminated(IReadOnlyList<string> labels, int i, TaggingScheme scheme) =>
        new(i, LabelIssueKind.Unterminated, $"'{labels[i].Trim()}' leaves a span open: {scheme} spans must end with an end or single prefix");

    /// <summary>
    /// Decodes labels of any scheme into entity spans with the conlleval chunk rules (seqeval default mode): lenient, an
    /// orphan <c>I-X</c> starts a span. <c>L</c>/<c>U</c> are read as <c>E</c>/<c>S</c>.
    /// Throws <see cref="BioNerException"/> on a malformed label.
    /// </summary>
    /// <returns>Spans as (Type, Start, End) with End exclusive, in order.</returns>
    public static IReadOnlyList<(string Type, int Start, int End)> Spans(IReadOnlyList<string> labels)
    {
        var spans = new List<(string, int, int)>();
        char prevTag = 'O';
        string prevType = "";
        int start = -1;
        for (int i = 0; i <= labels.Count; i++)
        {
            var (tag, type) = i < labels.Count ? ParseOrThrow(labels[i], i) : ('O', "");
            tag = tag switch { 'L' => 'E', 'U' => 'S', _ => tag };
            if (start >= 0 && EndOfChunk(prevTag, tag, prevType, type))
            {
                spans.Add((prevType, start, i));
                start = -1;
            }
            if (StartOfChunk(prevTag, tag, prevType, type)) start = i;
            (prevTag, prevType) = (tag, type);
        }
        return spans;
    }

    private static (char, string) ParseOrThrow(string label, int i) =>
        Parse(label) ?? throw new BioNerException($"label '{label.Trim()}' at word {i} is not O or P-Type (e.g. B-Chemical)");

    // conlleval's end_of_chunk / start_of_chunk, as seqeval implements them.
    private static bool EndOfChunk(char prev, char tag, string prevType, string type) =>
        prev is 'E' or 'S'
        || (prev is 'B' or 'I' && tag is 'B' or 'S' or 'O')
        || (prev != 'O' && prevType != type);

    private static bool StartOfChunk(char prev, char tag, string prevType, string type) =>
        tag is 'B' or 'S'
        || (prev is 'E' or 'S' or 'O' && tag is 'E' or 'I')
        || (tag != 'O' && prevType != type);

    /// <summary>
    /// Converts <paramref name="labels"/> written in <paramref name="from"/> to IOB2. Spans are decoded leniently (see
    /// <see cref="Spans"/>; the conlleval rules read every scheme), but a prefix <paramref name="from"/> does not have
    /// (<c>E-X</c> in IOB2) or a malformed label throws <see cref="BioNerException"/> naming the word index.
    /// </summary>
    public static IReadOnlyList<string> ToIob2(IReadOnlyList<string> labels, TaggingScheme from)
    {
        var row = Table[from];
        for (int i = 0; i < labels.Count; i++)
        {
            var (prefix, _) = ParseOrThrow(labels[i], i);
            if (prefix != 'O' && !row.Prefixes.ContainsKey(prefix))
                throw new BioNerException($"label '{labels[i].Trim()}' at word {i} has a prefix {from} does not use");
        }
        return Encode(Spans(labels), labels.Count, TaggingScheme.IOB2);
    }

    /// <summary>Converts IOB2 <paramref name="labels"/> to <paramref name="to"/>; <c>FromIob2(ToIob2(x, s), s) == x</c> for valid x.</summary>
    public static IReadOnlyList<string> FromIob2(IReadOnlyList<string> labels, TaggingScheme to) =>
        Encode(Spans(labels), labels.Count, to);

    /// <summary>Writes spans (End exclusive, non-overlapping, in order) as labels of <paramref name="scheme"/>.</summary>
    public static IReadOnlyList<string> Encode(IReadOnlyList<(string Type, int Start, int End)> spans, int length, TaggingScheme scheme)
    {
        var row = Table[scheme];
        var labels = Enumerable.Repeat(Outside, length).ToArray();
        for (int k = 0; k < spans.Count; k++)
        {
            var (type, start, end) = spans[k];
            bool touchesPrev = k > 0 && spans[k - 1].End == start && spans[k - 1].Type == type;
            bool touchesNext = k + 1 < spans.Count && spans[k + 1].Start == end && spans[k + 1].Type == type;
            for (int i = start; i < end; i++)
            {
                char p = end - start == 1 ? row.Single : i == start ? row.First : i == end - 1 ? row.Last : row.Middle;
                if (i == start && touchesPrev && row.AdjacentFirst is { } af) p = af;
                if (i == end - 1 && touchesNext && row.AdjacentLast is { } al) p = al;
                labels[i] = $"{p}-{type}";
            }
        }
        return labels;
    }
}
