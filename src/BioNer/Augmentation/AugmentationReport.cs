using System.Globalization;
using System.Text;

namespace BioNer.Augmentation;

/// <summary>Counts for one entity type (or <c>O</c> for words outside mentions).</summary>
/// <param name="Seen">Units of this type looked at, over all copies.</param>
/// <param name="Replaced">Units actually changed (a drawn change that left the words identical is not counted).</param>
/// <param name="NoCandidate">Units drawn for a change that had no replacement (no other term of the type, no synonym).</param>
public sealed record ReplacementCounts(int Seen, int Replaced, int NoCandidate);

/// <summary>
/// What an augmentation run did, per entity type: lets a user check that the ratio came out as asked and spot types
/// with no replacement terms before training on the result.
/// </summary>
/// <param name="Method">The augmenter (<c>mention-replacement</c>, <c>lwtr</c>, <c>sis</c>, <c>synonym</c>).</param>
/// <param name="Unit">What one count is: <c>mentions</c>, <c>tokens</c> or <c>segments</c>.</param>
/// <param name="SentencesIn">Sentences in the input corpus.</param>
/// <param name="SentencesOut">Augmented sentences produced (all copies).</param>
/// <param name="SentencesChanged">Produced sentences that differ from their original.</param>
/// <param name="PerType">Counts per type, sorted ordinally by type.</param>
public sealed record AugmentationReport(string Method, string Unit, int SentencesIn, int SentencesOut, int SentencesChanged,
    IReadOnlyDictionary<string, ReplacementCounts> PerType)
{
    /// <summary>Sum of <see cref="PerType"/>.</summary>
    public ReplacementCounts Total => new(PerType.Values.Sum(c => c.Seen), PerType.Values.Sum(c => c.Replaced),
        PerType.Values.Sum(c => c.NoCandidate));

    /// <summary>A plain-text table (type, seen, replaced, share, no candidate) with a total row, for the CLI.</summary>
    public string ToTable()
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{Method}: {SentencesIn} sentences in, {SentencesOut} out, {SentencesChanged} changed");
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"type",-16} {Unit,10} {"replaced",10} {"share",7} {"no-cand.",9}");
        foreach (var (type, c) in PerType.Append(new("total", Total)))
        {
            string share = c.Seen == 0 ? "-" : (100.0 * c.Replaced / c.Seen).ToString("F1", CultureInfo.InvariantCulture) + "%";
            sb.AppendLine(CultureInfo.InvariantCulture, $"{type,-16} {c.Seen,10} {c.Replaced,10} {share,7} {c.NoCandidate,9}");
        }
        return sb.ToString();
    }
}

/// <summary>Mutable counters an augmenter fills while it runs.</summary>
internal sealed class AugmentationReportBuilder(string method, string unit)
{
    private readonly SortedDictionary<string, int[]> _counts = new(StringComparer.Ordinal);
    public int SentencesIn, SentencesOut, SentencesChanged;

    public void Seen(string type) => Get(type)[0]++;
    public void Replaced(string type) => Get(type)[1]++;
    public void NoCandidate(string type) => Get(type)[2]++;

    private int[] Get(string type) => _counts.TryGetValue(type, out var c) ? c : _counts[type] = new int[3];

    public AugmentationReport Build() => new(method, unit, SentencesIn, SentencesOut, SentencesChanged,
        new SortedDictionary<string, ReplacementCounts>(
            _counts.ToDictionary(kv => kv.Key, kv => new ReplacementCounts(kv.Value[0], kv.Value[1], kv.Value[2])), StringComparer.Ordinal));
}
