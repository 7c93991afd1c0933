namespace BioNer.Data;

/// <summary>
/// Tagging-scheme detection, validation and conversion, seqeval-style: each scheme is a row of
/// <see cref="SchemeTable"/> saying how a span is spelled (single word, first, middle, last) and which prefixes continue
/// or close a span. Decoding any scheme into spans uses the conlleval chunk rules of <see cref="ConllChunker"/> (so an
/// orphan <c>I-X</c> starts a span, as in seqeval's default mode); encoding writes the table's prefixes. Both scheme
/// detectors live here: the readers' best fit and seqeval's <c>auto_detect</c> for strict evaluation.
/// </summary>
public static class Schemes
{
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
    /// Why not seqeval's <c>auto_detect</c> (<see cref="DetectAsSeqeval"/>): it knows neither IOB1 nor IOE1 and reads
    /// IOB1 data that uses <c>B-</c> as IOB2; a reader has to convert such corpora correctly.
    /// </summary>
    public static TaggingScheme Detect(IEnumerable<IReadOnlyList<string>> labelSeqs)
    {
        var seqs = labelSeqs as IReadOnlyCollection<IReadOnlyList<string>> ?? labelSeqs.ToList();
        var prefixes = seqs.SelectMany(s => s).Select(Parse).Where(p => p is { Prefix: not 'O' })
            .Select(p => p!.Value.Prefix).ToHashSet();
        TaggingScheme best = TaggingScheme.IOB2;
        long bestScore = long.MaxValue;
        foreach (var scheme in SchemeTable.ReaderPreference)
        {
            // A prefix the scheme doesn't have outweighs any number of sequence-level issues.
            long score = prefixes.Count(p => !SchemeTable.For(scheme).Rules.ContainsKey(p)) * 1_000_000_000L;
            if (score > bestScore) continue;
            score += seqs.Sum(s => (long)Validate(s, scheme).Count);
            if (score < bestScore) (best, bestScore) = (scheme, score);
        }
        return best;
    }

    /// <summary>
    /// seqeval <c>auto_detect</c>: the scheme whose prefix sets contain exactly the prefixes used in
    /// <paramref name="labels"/> (IOB2, then IOE2, IOBES, BILOU). Throws a <see cref="BioNerException"/> when none fits.
    /// Strict evaluation uses this, not <see cref="Detect"/>, so that its scores stay seqeval's.
    /// </summary>
    internal static TaggingScheme DetectAsSeqeval(EncodedLabels labels, LabelTable table)
    {
        int mask = 0;
        foreach (int id in labels.Ids) mask |= 1 << table.PrefixOf(id);
        foreach (var scheme in SchemeTable.SeqevalDetectionOrder)
            if (SchemeTable.For(scheme).DetectedFrom.Any(set => set.Aggregate(0, (m, c) => m | 1 << LabelTable.Prefix.FromChar(c)) == mask))
                return scheme;
        var used = string.Concat(Enumerable.Range(0, LabelTable.Prefix.Count).Where(p => (mask & 1 << p) != 0)
            .Select(p => LabelTable.Prefix.ToChar((byte)p)));
        throw new BioNerException($"gold labels: the prefixes {{{string.Join(", ", used.ToCharArray())}}} fit no " +
            "scheme seqeval detects (IOB2, IOE2, IOBES, BILOU); pass the scheme explicitly.");
    }

    /// <summary>
    /// Checks <paramref name="labels"/> against <paramref name="scheme"/>'s rules and lists every problem with its word
    /// index (empty when valid). Readers turn these into <see cref="BioNerException"/>s naming file and line.
    /// </summary>
    public static IReadOnlyList<LabelIssue> Validate(IReadOnlyList<string> labels, TaggingScheme scheme)
    {
        var row = SchemeTable.For(scheme);
        var issues = new List<LabelIssue>();
        string? open = null;          // type of the span the previous word left open (null: none)
        string? prevType = null;      // type of the previous word (null: O or start)
        int closedAdjacentAt = -1;    // IOE1: index of an E- that needs a same-type span right after it
        for (int i = 0; i < labels.Count; i++)
        {
            var parsed = Parse(labels[i]);
            if (parsed is null || (parsed.Value.Prefix != 'O' && !row.Rules.ContainsKey(parsed.Value.Prefix)))
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
            var rule = row.Rules[prefix];
            bool continues = rule.Continues != SchemeTable.Continue.Never && open == type;
            if (!continues && open is not null && row.NeedsExplicitEnd) issues.Add(Unterminated(labels, i - 1, scheme));
            if (rule.Continues == SchemeTable.Continue.Must && !continues)
                issues.Add(open is null
                    ? new(i, LabelIssueKind.Orphan, $"'{labels[i].Trim()}' continues a span but follows {(i == 0 ? "the sentence start" : $"'{labels[i - 1].Trim()}'")}")
                    : new(i, LabelIssueKind.TypeChange, $"'{labels[i].Trim()}' follows '{labels[i - 1].Trim()}': the type changes inside a span"));
            if (rule.OnlyBetweenAdjacent && rule.Continues == SchemeTable.Continue.Never && prevType != type)
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
    /// <returns>Spans with End exclusive, in order.</returns>
    public static IReadOnlyList<LabelledSpan> Spans(IReadOnlyList<string> labels)
    {
        // Not ConllChunker.Chunk: that one is seqeval to the letter (L/U as unknown prefixes, and a chunk that ends
        // without having started is reported from the last start); a reader wants BILOU decoded and no phantom spans.
        var spans = new List<LabelledSpan>();
        char prevTag = 'O';
        string prevType = "";
        int start = -1;
        for (int i = 0; i <= labels.Count; i++)
        {
            var (tag, type) = i < labels.Count ? ParseOrThrow(labels[i], i) : ('O', "");
            tag = tag switch { 'L' => 'E', 'U' => 'S', _ => tag };
            bool sameType = prevType == type;
            if (start >= 0 && ConllChunker.EndOfChunk(prevTag, tag, sameType))
            {
                spans.Add(new(prevType, start, i));
                start = -1;
            }
            if (ConllChunker.StartOfChunk(prevTag, tag, sameType)) start = i;
            (prevTag, prevType) = (tag, type);
        }
        return spans;
    }

    private static (char, string) ParseOrThrow(string label, int i) =>
        Parse(label) ?? throw new BioNerException($"label '{label.Trim()}' at word {i} is not O or P-Type (e.g. B-Chemical)");

    /// <summary>
    /// Converts <paramref name="labels"/> written in <paramref name="from"/> to IOB2. Spans are decoded leniently (see
    /// <see cref="Spans"/>; the conlleval rules read every scheme), but a prefix <paramref name="from"/> does not have
    /// (<c>E-X</c> in IOB2) or a malformed label throws <see cref="BioNerException"/> naming the word index.
    /// </summary>
    public static IReadOnlyList<string> ToIob2(IReadOnlyList<string> labels, TaggingScheme from)
    {
        var row = SchemeTable.For(from);
        for (int i = 0; i < labels.Count; i++)
        {
            var (prefix, _) = ParseOrThrow(labels[i], i);
            if (prefix != 'O' && !row.Rules.ContainsKey(prefix))
                throw new BioNerException($"label '{labels[i].Trim()}' at word {i} has a prefix {from} does not use");
        }
        return Encode(Spans(labels), labels.Count, TaggingScheme.IOB2);
    }

    /// <summary>Converts IOB2 <paramref name="labels"/> to <paramref name="to"/>; <c>FromIob2(ToIob2(x, s), s) == x</c> for valid x.</summary>
    public static IReadOnlyList<string> FromIob2(IReadOnlyList<string> labels, TaggingScheme to) =>
        Encode(Spans(labels), labels.Count, to);

    /// <summary>
    /// Writes spans (End exclusive, in order) as labels of <paramref name="scheme"/>, IOB2 unless told. Spans that
    /// overlap are written in order, so a later span's labels replace an earlier one's where they meet.
    /// </summary>
    public static IReadOnlyList<string> Encode(IReadOnlyList<LabelledSpan> spans, int length, TaggingScheme scheme = TaggingScheme.IOB2)
    {
        var spell = SchemeTable.For(scheme).Spell;
        var labels = Enumerable.Repeat(Outside, length).ToArray();
        for (int k = 0; k < spans.Count; k++)
        {
            var (type, start, end) = spans[k];
            bool touchesPrev = k > 0 && spans[k - 1].End == start && spans[k - 1].Type == type;
            bool touchesNext = k + 1 < spans.Count && spans[k + 1].Start == end && spans[k + 1].Type == type;
            for (int i = start; i < end; i++)
            {
                char p = end - start == 1 ? spell.Single : i == start ? spell.First : i == end - 1 ? spell.Last : spell.Middle;
                if (i == start && touchesPrev && spell.AdjacentFirst is { } af) p = af;
                if (i == end - 1 && touchesNext && spell.AdjacentLast is { } al) p = al;
                labels[i] = $"{p}-{type}";
            }
        }
        return labels;
    }
}
