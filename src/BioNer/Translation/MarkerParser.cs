using System.Text;
using System.Text.RegularExpressions;
using BioNer.Data;

namespace BioNer.Translation;

/// <summary>What <see cref="MarkerParser"/> needs to know about the source sentence.</summary>
/// <param name="SourceTypes">The source sentence's entity types, in order (one per entity).</param>
/// <param name="KnownTypes">Every entity type of the corpus: a marker naming another type is not one of ours.</param>
/// <param name="Style">The marker style that was sent.</param>
/// <param name="XmlEscaped">Whether text was XML-escaped for an XML-aware engine (unescaped on the way back).</param>
/// <param name="LastEntityEndsSentence">Whether the last entity is followed by nothing but punctuation in the source.</param>
/// <param name="SourceText">The source sentence's plain text: marker-like text already there is ordinary text.</param>
public sealed record MarkerContext(IReadOnlyList<string> SourceTypes, IReadOnlyCollection<string> KnownTypes, MarkerStyle Style,
    bool XmlEscaped, bool LastEntityEndsSentence, string SourceText)
{
    /// <summary>The context for <paramref name="sentence"/>, sent with <paramref name="style"/> markers.</summary>
    public static MarkerContext For(Sentence sentence, IReadOnlyCollection<string> knownTypes, MarkerStyle style, bool xmlEscaped)
    {
        var spans = Schemes.Spans(sentence.Labels);
        int lastContent = -1;
        for (int i = 0; i < sentence.Count; i++)
            if (sentence.Words[i].Any(char.IsLetterOrDigit)) lastContent = i;
        bool endsWithEntity = spans.Count > 0 && spans[^1].End - 1 >= lastContent;
        return new(spans.Select(s => s.Type).ToList(), knownTypes, style, xmlEscaped, endsWithEntity, Markers.Join(sentence))
        {
            EntityCopies = spans.Select(sp => Copies(sentence, sp.Start, sp.End)).ToList(),
        };
    }

    /// <summary>
    /// Per source entity, its words and where it stands among the occurrences of the same words in the sentence
    /// (0-based rank, total), so that an entity the engine copied through unmarked (<c>+</c>, a gene symbol) can be
    /// found again when the copies can be told apart by their order.
    /// </summary>
    public IReadOnlyList<EntityCopy> EntityCopies { get; init; } = [];

    private static EntityCopy Copies(Sentence sentence, int start, int end)
    {
        var words = sentence.Words.Skip(start).Take(end - start).ToList();
        int rank = 0, total = 0;
        for (int i = 0; i + words.Count <= sentence.Count; i++)
        {
            if (!words.SequenceEqual(sentence.Words.Skip(i).Take(words.Count), StringComparer.Ordinal)) continue;
            if (i < start) rank++;
            total++;
        }
        return new(words, rank, total);
    }
}

/// <summary>A source entity's words, its rank among the sentence's occurrences of those words, and their number.</summary>
public sealed record EntityCopy(IReadOnlyList<string> Words, int Rank, int Occurrences);

/// <summary>
/// Reads a marked-up translation (<c>La [Chemical| aspirina ] ...</c>) back into words and IOB2 labels. Each marker
/// is read on its own, so entities may come back in any order; what matters is that the multiset of types equals the
/// source's. Damage is repaired only when the fix is unambiguous (<see cref="ProjectionRepair"/>): whitespace or case
/// changes inside markers, a marker repeated with nothing between, and a lost closing marker of a sentence's only
/// entity when that entity ended the source sentence. Anything else (missing, extra, nested, unbalanced markers,
/// unknown or swapped types, empty entities) drops the sentence with a <see cref="ProjectionDrop"/> reason: a
/// sentence is never kept with labels that might be wrong. Square brackets and tags already present in the source
/// text are treated as text (a <c>[</c> inside an entity must be matched by a <c>]</c> before the marker closes).
/// </summary>
public static partial class MarkerParser
{
    private sealed class State(MarkerContext context)
    {
        public readonly MarkerContext Context = context;
        public readonly StringBuilder Plain = new();
        public readonly List<LabelledSpan> Spans = [];
        public readonly HashSet<ProjectionRepair> Repairs = [];
        public (string Type, int Start, int Depth)? Open;
        public (string Type, int End)? LastClose;
        public bool WhitespaceAfter(int from) => Plain.ToString(from, Plain.Length - from).Trim().Length == 0;
    }

    /// <summary>Parses <paramref name="translation"/>; the result holds words and labels, or the drop reason.</summary>
    public static ProjectionResult Parse(string translation, MarkerContext context)
    {
        if (translation.Trim().Length == 0)
            return ProjectionResult.Dropped(ProjectionDrop.EmptyTranslation, "empty translation", context.SourceTypes);
        if (context.Style == MarkerStyle.WordBound) return WordBoundParser.Parse(translation, context);
        var state = new State(context);
        var tokens = context.Style == MarkerStyle.Xml ? XmlTokens() : BracketTokens();
        int pos = 0;
        foreach (Match m in tokens.Matches(translation))
        {
            AppendText(state, translation[pos..m.Index]);
            pos = m.Index + m.Length;
            if (Handle(state, m) is { } failure) return Drop(state, failure.Reason, failure.Detail);
        }
        AppendText(state, translation[pos..]);
        if (state.Open is not null && CloseAtEnd(state) is { } unclosed) return Drop(state, unclosed.Reason, unclosed.Detail);
        if (CompareTypes(state) is { } mismatch) return Drop(state, mismatch.Reason, mismatch.Detail);
        return Label(state);
    }

    private static ProjectionResult Drop(State state, ProjectionDrop reason, string detail) =>
        ProjectionResult.Dropped(reason, detail, state.Context.SourceTypes, state.Repairs.Order().ToList());

    private static void AppendText(State state, string text) =>
        state.Plain.Append(state.Context.XmlEscaped ? Markers.Unescape(text) : text);

    /// <summary>Applies one marker-like token; returns why the sentence must be dropped, or null.</summary>
    private static (ProjectionDrop Reason, string Detail)? Handle(State state, Match m)
    {
        bool brackets = state.Context.Style == MarkerStyle.Brackets;
        if (m.Groups["lb"].Success)
        {
            state.Plain.Append('[');
            if (state.Open is { } o) state.Open = o with { Depth = o.Depth + 1 };
            return null;
        }
        string? type = null;
        if (m.Groups["type"].Success)
        {
            string raw = m.Groups["type"].Value.Trim();
            type = ResolveType(state, raw);
            if (type is null)
            {
                if (state.Context.SourceText.Contains(m.Value, StringComparison.Ordinal)) { state.Plain.Append(m.Value); return null; }
                return (ProjectionDrop.UnknownType, $"marker '{m.Value}' names no entity type of the corpus");
            }
            string canonical = m.Groups["open"].Success ? (brackets ? $"[{raw}|" : $"<{raw}>") : $"</{raw}>";
            if (m.Value != canonical) state.Repairs.Add(ProjectionRepair.MarkerWhitespace);
        }
        return m.Groups["open"].Success ? Opening(state, type!) : Closing(state, type, brackets);
    }

    private static (ProjectionDrop Reason, string Detail)? Opening(State state, string type)
    {
        if (state.Open is { } open)
        {
            if (open.Type == type && state.WhitespaceAfter(open.Start)) { state.Repairs.Add(ProjectionRepair.DuplicateMarker); return null; }
            return (ProjectionDrop.NestedMarkers, $"a {type} marker opens inside the {open.Type} marker");
        }
        state.Open = (type, state.Plain.Length, 0);
        return null;
    }

    private static (ProjectionDrop Reason, string Detail)? Closing(State state, string? type, bool brackets)
    {
        if (state.Open is { } open)
        {
            if (brackets && open.Depth > 0)
            {
                state.Plain.Append(']');
                state.Open = open with { Depth = open.Depth - 1 };
                return null;
            }
            if (type is not null && type != open.Type)
                return (ProjectionDrop.UnbalancedMarkers, $"</{type}> closes the {open.Type} marker");
            state.Spans.Add(new(open.Type, open.Start, state.Plain.Length));
            state.LastClose = (open.Type, state.Plain.Length);
            state.Open = null;
            return null;
        }
        if (state.LastClose is { } last && state.WhitespaceAfter(last.End) && (type is null || type == last.Type))
        {
            state.Repairs.Add(ProjectionRepair.DuplicateMarker);
            return null;
        }
        if (brackets && state.Context.SourceText.Contains(']'))
        {
            state.Plain.Append(']');
            return null;
        }
        return (ProjectionDrop.UnbalancedMarkers, $"a closing {(type is null ? "]" : $"</{type}>")} has no opening marker");
    }

    /// <summary>The corpus type <paramref name="raw"/> names: exactly, else case-insensitively when unique (a repair), else null.</summary>
    private static string? ResolveType(State state, string raw)
    {
        if (state.Context.KnownTypes.Contains(raw)) return raw;
        var matches = state.Context.KnownTypes.Where(t => string.Equals(t, raw, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        if (matches.Count != 1) return null;
        state.Repairs.Add(ProjectionRepair.TypeCase);
        return matches[0];
    }

    /// <summary>A marker left open at the end: closed before the final punctuation when that is unambiguous.</summary>
    private static (ProjectionDrop Reason, string Detail)? CloseAtEnd(State state)
    {
        var open = state.Open!.Value;
        var c = state.Context;
        if (c.SourceTypes.Count == 1 && state.Spans.Count == 0 && c.LastEntityEndsSentence && open.Depth == 0)
        {
            int end = state.Plain.Length;
            while (end > open.Start && (char.IsWhiteSpace(state.Plain[end - 1]) || char.IsPunctuation(state.Plain[end - 1]))) end--;
            if (end > open.Start)
            {
                state.Spans.Add(new(open.Type, open.Start, end));
                state.Repairs.Add(ProjectionRepair.MissingCloseAtEnd);
                state.Open = null;
                return null;
            }
        }
        return (ProjectionDrop.UnbalancedMarkers, $"the {open.Type} marker is never closed");
    }

    private static (ProjectionDrop Reason, string Detail)? CompareTypes(State state)
    {
        var got = state.Spans.Select(s => s.Type).Order(StringComparer.Ordinal).ToList();
        var want = state.Context.SourceTypes.Order(StringComparer.Ordinal).ToList();
        string detail = $"sent [{string.Join(", ", want)}], got back [{string.Join(", ", got)}]";
        if (got.Count < want.Count) return (ProjectionDrop.MissingMarker, detail);
        if (got.Count > want.Count) return (ProjectionDrop.ExtraMarker, detail);
        return got.SequenceEqual(want) ? null : (ProjectionDrop.TypeMismatch, detail);
    }

    private static ProjectionResult Label(State state)
    {
        var repairs = state.Repairs.Order().ToList();
        return Label(state.Plain.ToString(), state.Spans, repairs, state.Context.SourceTypes);
    }

    /// <summary>
    /// Splits <paramref name="text"/> into words (cut at every span boundary) and labels the words inside each
    /// (type, start, end) character span B-/I-; drops the sentence when a span holds no word.
    /// </summary>
    internal static ProjectionResult Label(string text, IReadOnlyList<LabelledSpan> spans,
        IReadOnlyList<ProjectionRepair> repairs, IReadOnlyList<string> sourceTypes)
    {
        var tokens = WordTokenizer.SplitAt(WordTokenizer.Tokenize(text), spans.SelectMany(s => new[] { s.Start, s.End }));
        if (tokens.Count == 0) return ProjectionResult.Dropped(ProjectionDrop.EmptyTranslation, "the translation holds no words", sourceTypes, repairs);
        var wordSpans = new List<LabelledSpan>(spans.Count);
        foreach (var span in spans)
        {
            if (span.WordsWithin(tokens) is not { } words)
                return ProjectionResult.Dropped(ProjectionDrop.EmptyEntity, $"a {span.Type} marker holds no word", sourceTypes, repairs);
            wordSpans.Add(words);
        }
        return ProjectionResult.Ok(tokens.Select(t => text[t.Start..t.End]).ToList(), Schemes.Encode(wordSpans, tokens.Count), repairs);
    }

    [GeneratedRegex(@"(?<open>\[\s*(?<type>[^\[\]|<>\r\n]{1,64}?)\s*\|)|(?<close>\])|(?<lb>\[)")]
    private static partial Regex BracketTokens();

    [GeneratedRegex(@"(?<close><\s*/\s*(?<type>[\p{L}_][\p{L}\p{N}_.\-]*)\s*>)|(?<open><\s*(?<type>[\p{L}_][\p{L}\p{N}_.\-]*)\s*>)")]
    private static partial Regex XmlTokens();
}
