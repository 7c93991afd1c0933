using System.Globalization;
using System.Text;

namespace BioNer.Data.Craft;

/// <summary>
/// Per-tag mention counts of one CRAFT conversion, one field per policy of <see cref="CraftConverter"/>. Why: every
/// standoff-to-IOB conversion loses mentions, and a benchmark figure is only comparable when the loss is stated.
/// Invariant: <c>Read = Kept + NoSpan + DroppedDiscontinuous + DroppedDuplicate + DroppedTypeConflict + DroppedNested
/// + DroppedOverlap + DroppedCrossSentence</c>.
/// </summary>
public sealed class ConversionCounts
{
    /// <summary>Mentions read from the Knowtator files of the tag's ontologies.</summary>
    public int Read { get; internal set; }

    /// <summary>Mentions that became an entity (a B- label).</summary>
    public int Kept { get; internal set; }

    /// <summary>Annotations without any span (dropped).</summary>
    public int NoSpan { get; internal set; }

    /// <summary>Discontinuous mentions dropped (<see cref="DiscontinuousPolicy.Drop"/>).</summary>
    public int DroppedDiscontinuous { get; internal set; }

    /// <summary>Discontinuous mentions made continuous (<see cref="DiscontinuousPolicy.FirstSpan"/> or
    /// <see cref="DiscontinuousPolicy.Extent"/>); still subject to the later rules.</summary>
    public int ChangedDiscontinuous { get; internal set; }

    /// <summary>Same extent, same tag as another mention (e.g. two classes on one phrase): the copy is dropped.</summary>
    public int DroppedDuplicate { get; internal set; }

    /// <summary>Same extent as a mention of a higher-priority tag (<see cref="CraftOptions.TypePriority"/>).</summary>
    public int DroppedTypeConflict { get; internal set; }

    /// <summary>Lies inside a longer kept mention (the longest outer span wins).</summary>
    public int DroppedNested { get; internal set; }

    /// <summary>Crosses (partly overlaps) a longer or earlier kept mention.</summary>
    public int DroppedOverlap { get; internal set; }

    /// <summary>Spans a sentence boundary of the treebank (or falls between its tokens).</summary>
    public int DroppedCrossSentence { get; internal set; }

    /// <summary>Kept-mention edges that fell inside a token, so the token was split there.</summary>
    public int BoundarySplits { get; internal set; }

    /// <summary>Of <see cref="BoundarySplits"/>, those not at a <see cref="WordTokenizer"/> word boundary (split inside a
    /// letter/digit run, e.g. <c>IOP|s</c>, <c>Pax|6</c>).</summary>
    public int MidRunSplits { get; internal set; }
}

/// <summary>Counts of one CRAFT conversion: documents, and per tag the <see cref="ConversionCounts"/>.</summary>
public sealed class ConversionReport
{
    private readonly SortedDictionary<string, ConversionCounts> _byType = new(StringComparer.Ordinal);

    /// <summary>Articles converted.</summary>
    public int Documents { get; internal set; }

    /// <summary>Articles that had no CoNLL-U file and were segmented by the fallback segmenter.</summary>
    public int FallbackSegmented { get; internal set; }

    /// <summary>Per tag counts, ordered by tag.</summary>
    public IReadOnlyDictionary<string, ConversionCounts> ByType => _byType;

    /// <summary>Counts of <paramref name="tag"/> (created on first use).</summary>
    internal ConversionCounts For(string tag)
    {
        if (!_byType.TryGetValue(tag, out var c)) _byType[tag] = c = new ConversionCounts();
        return c;
    }

    /// <summary>A Markdown table, one row per tag plus a total row, for reports such as <c>benchmarks/DATA.md</c>.</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| tag | read | kept | no span | discontinuous dropped | discontinuous changed | duplicate | type conflict | nested | overlap | cross-sentence | boundary splits | mid-run splits |");
        sb.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        var total = new ConversionCounts();
        foreach (var (tag, c) in _byType)
        {
            sb.AppendLine(Row(tag, c));
            Add(total, c);
        }
        sb.AppendLine(Row("**all**", total));
        return sb.ToString();
    }

    private static string Row(string tag, ConversionCounts c) => string.Join(" | ",
        new[] { c.Read, c.Kept, c.NoSpan, c.DroppedDiscontinuous, c.ChangedDiscontinuous, c.DroppedDuplicate,
                c.DroppedTypeConflict, c.DroppedNested, c.DroppedOverlap, c.DroppedCrossSentence, c.BoundarySplits,
                c.MidRunSplits }
            .Select(n => n.ToString(CultureInfo.InvariantCulture)).Prepend("| " + tag)) + " |";

    private static void Add(ConversionCounts to, ConversionCounts c)
    {
        to.Read += c.Read; to.Kept += c.Kept; to.NoSpan += c.NoSpan;
        to.DroppedDiscontinuous += c.DroppedDiscontinuous; to.ChangedDiscontinuous += c.ChangedDiscontinuous;
        to.DroppedDuplicate += c.DroppedDuplicate; to.DroppedTypeConflict += c.DroppedTypeConflict;
        to.DroppedNested += c.DroppedNested; to.DroppedOverlap += c.DroppedOverlap;
        to.DroppedCrossSentence += c.DroppedCrossSentence; to.BoundarySplits += c.BoundarySplits;
        to.MidRunSplits += c.MidRunSplits;
    }
}
