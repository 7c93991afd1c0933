namespace BioNer.Data.Craft;

/// <summary>A continuous, typed character span that is a candidate entity.</summary>
internal readonly record struct TypedSpan(int Start, int End, string Tag)
{
    public int Length => End - Start;
}

/// <summary>
/// Turns the overlapping, multi-layer mentions of one article into a flat, non-overlapping list, applying the
/// policies in a fixed order (each counted in <see cref="ConversionReport"/>): (1) no span → dropped;
/// (2) discontinuous → <see cref="DiscontinuousPolicy"/>; (3) identical extents → one survivor, by
/// <see cref="CraftOptions.TypePriority"/>; (4) mentions not inside one sentence → dropped; (5) nested/crossing →
/// longest outer span kept (ties: earlier start, then priority), the rest dropped.
/// </summary>
internal static class MentionResolver
{
    public static List<TypedSpan> Resolve(
        IEnumerable<(KnowtatorMention Mention, string Tag)> mentions, IReadOnlyList<SpanSentence> sentences,
        CraftOptions options, ConversionReport report)
    {
        var candidates = new List<TypedSpan>();
        foreach (var (m, tag) in mentions)
        {
            var c = report.For(tag);
            c.Read++;
            if (m.Spans.Count == 0) { c.NoSpan++; continue; }
            var (start, end) = m.Spans[0];
            if (m.IsDiscontinuous)
            {
                if (options.Discontinuous == DiscontinuousPolicy.Drop) { c.DroppedDiscontinuous++; continue; }
                c.ChangedDiscontinuous++;
                if (options.Discontinuous == DiscontinuousPolicy.Extent) (start, end) = (m.Spans.Min(s => s.Start), m.Spans.Max(s => s.End));
            }
            candidates.Add(new TypedSpan(start, end, tag));
        }
        var unique = RemoveIdenticalExtents(candidates, options, report);
        var inSentence = unique.Where(s => InOneSentence(s, sentences, report)).ToList();
        return KeepOuterSpans(inSentence, options, report);
    }

    private static List<TypedSpan> RemoveIdenticalExtents(List<TypedSpan> spans, CraftOptions options, ConversionReport report)
    {
        var result = new List<TypedSpan>();
        foreach (var group in spans.GroupBy(s => (s.Start, s.End)))
        {
            var ordered = group.OrderBy(s => options.Rank(s.Tag)).ThenBy(s => s.Tag, StringComparer.Ordinal).ToList();
            result.Add(ordered[0]);
            foreach (var loser in ordered.Skip(1))
            {
                var c = report.For(loser.Tag);
                if (loser.Tag == ordered[0].Tag) c.DroppedDuplicate++;
                else c.DroppedTypeConflict++;
            }
        }
        return result;
    }

    private static bool InOneSentence(TypedSpan span, IReadOnlyList<SpanSentence> sentences, ConversionReport report)
    {
        int i = LastSentenceStartingAtOrBefore(sentences, span.Start);
        bool inside = i >= 0 && span.End <= sentences[i].End
                      && sentences[i].Tokens.Any(t => t.Start < span.End && span.Start < t.End);
        if (!inside) report.For(span.Tag).DroppedCrossSentence++;
        return inside;
    }

    private static int LastSentenceStartingAtOrBefore(IReadOnlyList<SpanSentence> sentences, int offset)
    {
        int lo = 0, hi = sentences.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (sentences[mid].Start <= offset) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }

    private static List<TypedSpan> KeepOuterSpans(List<TypedSpan> spans, CraftOptions options, ConversionReport report)
    {
        var kept = new List<TypedSpan>(); // sorted by Start, pairwise disjoint
        var byStart = Comparer<TypedSpan>.Create((a, b) => a.Start.CompareTo(b.Start));
        foreach (var s in spans.OrderByDescending(s => s.Length).ThenBy(s => s.Start)
                     .ThenBy(s => options.Rank(s.Tag)).ThenBy(s => s.Tag, StringComparer.Ordinal))
        {
            int at = kept.BinarySearch(s, byStart);
            if (at < 0) at = ~at;
            var clashes = new List<TypedSpan>();
            if (at > 0 && kept[at - 1].End > s.Start) clashes.Add(kept[at - 1]);
            for (int j = at; j < kept.Count && kept[j].Start < s.End; j++) clashes.Add(kept[j]);
            if (clashes.Count == 0) { kept.Insert(at, s); continue; }
            var c = report.For(s.Tag);
            if (clashes.Count == 1 && clashes[0].Start <= s.Start && s.End <= clashes[0].End) c.DroppedNested++;
            else c.DroppedOverlap++;
        }
        return kept;
    }
}
