using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BioNer.Data;

namespace BioNer.Translation;

/// <summary>
/// Reads a translation marked with Apertium word-bound blanks (<c>Pérdida de [[t:0]]KCNJ10[[/]] en
/// [[t:1]]celdas[[/]] de [[t:1]]cerebro[[/]]</c>) back into words and IOB2 labels. Apertium copies the blank of a
/// source word onto each target word it becomes, so an entity may come back as several marked pieces with the
/// engine's own words between them; entity <c>N</c> then spans its first to its last piece
/// (<see cref="ProjectionRepair.WordsJoined"/> when unmarked words had to be taken in). The sentence is dropped when
/// an entity is missing or empty, when two entities interleave or share a word (<c>[[t:0; t:1]]</c>), or when a
/// blank names an entity the sentence does not have — never kept with labels that might be wrong.
/// </summary>
public static partial class WordBoundParser
{
    /// <summary>Parses <paramref name="translation"/> for a source sentence described by <paramref name="context"/>.</summary>
    public static ProjectionResult Parse(string translation, MarkerContext context)
    {
        int count = context.SourceTypes.Count;
        var plain = new StringBuilder();
        var pieces = new List<(int Entity, int Start, int End)>();
        int pos = 0;
        foreach (Match m in Blank().Matches(translation))
        {
            plain.Append(translation, pos, m.Index - pos);
            pos = m.Index + m.Length;
            var ids = Ids(m.Groups["ids"].Value);
            if (ids.Count != 1 || ids[0] < 0 || ids[0] >= count)
                return Drop(ids.Count > 1 ? ProjectionDrop.NestedMarkers : ProjectionDrop.ExtraMarker,
                    ids.Count > 1 ? $"one word carries several entities: '{m.Value}'" : $"'{m.Value}' names no entity of the sentence", context);
            int start = plain.Length;
            plain.Append(m.Groups["text"].Value);
            if (m.Groups["text"].Value.Trim().Length > 0) pieces.Add((ids[0], start, plain.Length));
        }
        plain.Append(translation, pos, translation.Length - pos);
        string text = plain.ToString();
        if ((text.Contains("[[", StringComparison.Ordinal) || text.Contains("]]", StringComparison.Ordinal)) && !context.SourceText.Contains("[[", StringComparison.Ordinal))
            return Drop(ProjectionDrop.UnbalancedMarkers, "a word-bound blank came back without its [[/]]", context);

        var spans = new List<LabelledSpan>();
        var repairs = new SortedSet<ProjectionRepair>();
        for (int e = 0; e < count; e++)
        {
            var mine = pieces.Where(p => p.Entity == e).ToList();
            if (mine.Count == 0 && UnmarkedCopy(text, pieces, context, e) is { } copy)
            {
                mine.Add(copy);
                repairs.Add(ProjectionRepair.UnmarkedCopy);
            }
            if (mine.Count == 0)
                return Drop(ProjectionDrop.MissingMarker, $"entity {e} ({context.SourceTypes[e]}) came back with no marked word", context);
            int start = mine.Min(p => p.Start), end = mine.Max(p => p.End);
            if (pieces.Any(p => p.Entity != e && p.Start < end && p.End > start))
                return Drop(ProjectionDrop.NestedMarkers, $"entity {e} ({context.SourceTypes[e]}) interleaves with another entity", context);
            if (Gaps(text, mine).Any(g => g.Any(char.IsLetterOrDigit))) repairs.Add(ProjectionRepair.WordsJoined);
            spans.Add(new(context.SourceTypes[e], start, end));
        }
        for (int a = 0; a < spans.Count; a++)
            for (int b = a + 1; b < spans.Count; b++)
                if (spans[a].Start < spans[b].End && spans[b].Start < spans[a].End)
                    return Drop(ProjectionDrop.NestedMarkers, $"entities {a} ({spans[a].Type}) and {b} ({spans[b].Type}) overlap", context);
        return MarkerParser.Label(text, spans, repairs.ToList(), context.SourceTypes);
    }

    /// <summary>
    /// An entity whose blank Apertium dropped (it does so on lone symbols such as the wild-type allele <c>+</c>) but
    /// whose words came through verbatim: found when the unmarked text holds exactly as many copies of those words
    /// as the source sentence does, so the entity's rank among them picks one.
    /// </summary>
    private static (int Entity, int Start, int End)? UnmarkedCopy(string text, List<(int Entity, int Start, int End)> pieces,
        MarkerContext context, int entity)
    {
        if (entity >= context.EntityCopies.Count) return null;
        var copy = context.EntityCopies[entity];
        var tokens = WordTokenizer.Tokenize(text);
        var found = new List<(int Start, int End)>();
        for (int i = 0; i + copy.Words.Count <= tokens.Count; i++)
        {
            bool match = true;
            for (int w = 0; w < copy.Words.Count && match; w++)
                match = text.AsSpan(tokens[i + w].Start, tokens[i + w].End - tokens[i + w].Start).SequenceEqual(copy.Words[w]);
            if (!match) continue;
            int start = tokens[i].Start, end = tokens[i + copy.Words.Count - 1].End;
            if (!pieces.Any(p => p.Start < end && p.End > start)) found.Add((start, end));
        }
        if (found.Count != copy.Occurrences) return null;
        return (entity, found[copy.Rank].Start, found[copy.Rank].End);
    }

    /// <summary>The text between consecutive pieces of one entity.</summary>
    private static IEnumerable<string> Gaps(string text, List<(int Entity, int Start, int End)> pieces)
    {
        var ordered = pieces.OrderBy(p => p.Start).ToList();
        for (int i = 1; i < ordered.Count; i++)
            if (ordered[i].Start > ordered[i - 1].End) yield return text[ordered[i - 1].End..ordered[i].Start];
    }

    /// <summary>The entity ids of a blank's content (<c>t:0</c>, or <c>t:0; t:1</c> when Apertium merged two words); -1 for anything else.</summary>
    private static List<int> Ids(string content) =>
        content.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.StartsWith("t:", StringComparison.Ordinal)
                && int.TryParse(part.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int id) ? id : -1)
            .Distinct()
            .ToList();

    private static ProjectionResult Drop(ProjectionDrop reason, string detail, MarkerContext context) =>
        ProjectionResult.Dropped(reason, detail, context.SourceTypes);

    [GeneratedRegex(@"\[\[(?<ids>[^\[\]]*)\]\](?<text>.*?)\[\[/\]\]", RegexOptions.Singleline)]
    private static partial Regex Blank();
}
