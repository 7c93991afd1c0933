using System.Globalization;
using System.Text;

namespace BioNer.Data;

/// <summary>
/// Descriptive statistics of a corpus (<c>bioner data stats</c>): sizes, entities per type, mention lengths, label
/// distribution and the share of <c>O</c> — what one checks before training to spot a broken conversion or a skewed split.
/// </summary>
public sealed class CorpusStats
{
    /// <summary>Where the corpus came from.</summary>
    public required string Source { get; init; }
    /// <summary>Number of sentences.</summary>
    public int Sentences { get; init; }
    /// <summary>Number of distinct document ids (0 when the format has none).</summary>
    public int Documents { get; init; }
    /// <summary>Number of words.</summary>
    public long Tokens { get; init; }
    /// <summary>Longest sentence in words.</summary>
    public int MaxSentenceLength { get; init; }
    /// <summary>Per entity type: mention count and mention lengths in words.</summary>
    public required IReadOnlyDictionary<string, List<int>> MentionLengths { get; init; }
    /// <summary>Count of each label.</summary>
    public required IReadOnlyDictionary<string, long> LabelCounts { get; init; }

    /// <summary>Share of words labelled <c>O</c>.</summary>
    public double OutsideShare => Tokens == 0 ? 0 : (double)LabelCounts.GetValueOrDefault(Schemes.Outside) / Tokens;

    /// <summary>Computes the statistics (labels are read as IOB2 spans with the conlleval rules).</summary>
    public static CorpusStats Of(Corpus corpus, string source)
    {
        var lengths = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        var labels = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var s in corpus.Sentences)
        {
            foreach (var l in s.Labels) labels[l] = labels.GetValueOrDefault(l) + 1;
            foreach (var (type, start, end) in Schemes.Spans(s.Labels))
            {
                if (!lengths.TryGetValue(type, out var list)) lengths[type] = list = [];
                list.Add(end - start);
            }
        }
        return new CorpusStats
        {
            Source = source,
            Sentences = corpus.Sentences.Count,
            Documents = corpus.Sentences.Select(s => s.DocumentId).Where(d => d is not null).Distinct().Count(),
            Tokens = corpus.TokenCount,
            MaxSentenceLength = corpus.Sentences.Count == 0 ? 0 : corpus.Sentences.Max(s => s.Count),
            MentionLengths = lengths,
            LabelCounts = labels,
        };
    }

    /// <summary>A markdown report: a summary line, a per-type table and the label distribution.</summary>
    public string ToMarkdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine($"## {Source}").AppendLine();
        sb.AppendLine(inv, $"{Sentences} sentences, {Documents} documents, {Tokens} tokens (longest sentence {MaxSentenceLength}), " +
                           $"{MentionLengths.Values.Sum(l => l.Count)} entities, O share {OutsideShare:P1}").AppendLine();
        sb.AppendLine("| type | mentions | mean length | max length | 1 word | 2 words | 3+ words |").AppendLine("|---|--:|--:|--:|--:|--:|--:|");
        foreach (var (type, l) in MentionLengths)
            sb.AppendLine(inv, $"| {type} | {l.Count} | {l.Average():0.00} | {l.Max()} | {l.Count(x => x == 1)} | {l.Count(x => x == 2)} | {l.Count(x => x >= 3)} |");
        sb.AppendLine().AppendLine("| label | count | share |").AppendLine("|---|--:|--:|");
        foreach (var (label, n) in LabelCounts)
            sb.AppendLine(inv, $"| {label} | {n} | {(Tokens == 0 ? 0 : (double)n / Tokens):P2} |");
        return sb.ToString();
    }
}
