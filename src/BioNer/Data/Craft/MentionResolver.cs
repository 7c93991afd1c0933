namespace BioNer.Data.Craft;

/// <summary>
/// Turns the overlapping, multi-layer mentions of one article into a flat, non-overlapping list, applying the
/// policies in a fixed order (each counted in <see cref="ConversionReport"/>): (1) no span → dropped;
/// (2) discontinuous → <see cref="DiscontinuousPolicy"/>; (3) identical extents → one survivor, by
/// <see cref="CraftOptions.TypePriority"/>; (4) mentions not inside one sentence → dropped; (5) nested/crossing →
/// longest outer span kept (ties: earlier start, then priority), the rest dropped.
/// </summary>
internal static class MentionResolver
{
    public static List<LabelledSpan> Resolve(
        IEnumerable<(KnowtatorMention Mention, string Tag)> mentions, IReadOnlyList<SpanSentence> sentences,
        CraftOptions options, ConversionReport report)
    {
        var candidates = new List<LabelledSpan>();
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
            candidates.Add(new LabelledSpan(tag, start, end));
        }
        var unique = RemoveIdenticalExtents(candidates, options, report);
        var inSentence = unique.Where(s => InOneSentence(s, sentences, report)).ToList();
        return KeepOuterSpans(inSentence, options, report);
    }

    private static List<LabelledSpan> RemoveIdenticalExtents(List<LabelledSpan> spans, CraftOptions options, ConversionReport report)
    {
        var result = new List<LabelledSpan>();
        foreach (var group in spans.GroupBy(s => (s.Start, s.End)))
        {
            var ordered = group.OrderBy(s => options.Rank(s.Type)).ThenBy(s => s.Type, StringComparer.Ordinal).ToList();
            result.Add(ordered[0]);
            foreach (var loser in ordered.Skip(1))
            {
                var c = report.For(loser.Type);
                if (loser.Type == ordered[0].Type) c.DroppedDuplicate++;
                else c.DroppedTypeConflict++;
            }
        }
        return result;
    }

    private static bool InOneSentence(LabelledSpan span, IReadOnlyList<SpanSentence> sentences, ConversionReport report)
    {
        int i = LastSentenceStartingAtOrBefore(sentences, span.Start);
        bool inside = i >= 0 && span.End <= sentences[i].End
                      && sentences[i].Tokens.Any(t => t.Start < span.End && span.Start < t.End);
        if (!inside) report.For(span.Type).DroppedCrossSentence++;
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

    private static List<LabelledSpan> KeepOuterSpans(List<LabelledSpan> spans, CraftOptions options, ConversionReport report)
    {
        var kept = new List<LabelledSpan>(); // sorted by Start, pairwise disjoint
        var byStart = Comparer<LabelledSpan>.Create((a, b) => a.Start.CompareTo(b.Start));
        foreach (var s in spans.OrderByDescending(s => s.Length).ThenBy(s => s.Start)
                     .ThenBy(s => options.Rank(s.Type)).ThenBy(s => s.Type, StringComparer.Ordinal))
        {
            int at = kept.BinarySearch(s, byStart);
            if (at < 0) at = ~at;
            var clashes = new List<LabelledSpan>();
            if (at > 0 && kept[at - 1].End > s.Start) clashes.Add(kept[at - 1]);
            for (int j = at; j < kept.Count && kept[j].Start < s.End; j++) clashes.Add(kept[j]);
            if (clashes.Count == 0) { kept.Insert(at, s); continue; }
            var c = report.For(s.Type);
            if (clashes.Count == 1 && clashes[0].Start <= s.Start && s.End <= clashes[0].End) c.DroppedNested++;
            else c.DroppedOverlap++;
        }
        return kept;
    }
}
