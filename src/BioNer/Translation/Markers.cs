using System.Text;
using System.Text.RegularExpressions;
using BioNer.Data;

namespace BioNer.Translation;

/// <summary>How entities are marked in the text sent to the MT engine (<c>--marker-style</c>).</summary>
public enum MarkerStyle
{
    /// <summary><c>[Chemical| aspirin ]</c>: plain characters most engines copy through unchanged.</summary>
    Brackets,
    /// <summary><c>&lt;Chemical&gt;aspirin&lt;/Chemical&gt;</c>: for engines that handle XML tags (DeepL <c>tag_handling=xml</c>).</summary>
    Xml,
    /// <summary>
    /// <c>[[t:0]]aspirin[[/]]</c>: Apertium's word-bound blanks (3.8+), numbered per entity. Apertium attaches the blank
    /// to every word it wraps and carries it to that word's translation, so reordering cannot break the marker; the
    /// entity id (not its type) is written, and <see cref="WordBoundParser"/> gives each id back its source type.
    /// </summary>
    WordBound,
}

/// <summary>
/// Turns a labelled sentence into the text an MT engine sees: the words joined back with their original spacing
/// (from the offsets when they fit the words, else a space between words except before closing and after opening
/// punctuation), and, for marker projection, each entity wrapped in a marker naming its type.
/// </summary>
public static partial class Markers
{
    private static readonly HashSet<string> NoSpaceBefore = new(StringComparer.Ordinal) { ".", ",", ";", ":", "!", "?", ")", "]", "}", "%" };
    private static readonly HashSet<string> NoSpaceAfter = new(StringComparer.Ordinal) { "(", "[", "{" };

    /// <summary>The text of <paramref name="sentence"/>'s words [<paramref name="from"/>, <paramref name="to"/>) with their spacing.</summary>
    public static string Join(Sentence sentence, int from = 0, int? to = null)
    {
        var space = SpaceBefore(sentence);
        var sb = new StringBuilder();
        for (int i = from; i < (to ?? sentence.Count); i++)
        {
            if (i > from && space[i]) sb.Append(' ');
            sb.Append(sentence.Words[i]);
        }
        return sb.ToString();
    }

    /// <summary>
    /// The sentence's text with every entity (from its IOB2 labels) wrapped in a <paramref name="style"/> marker:
    /// <c>The [Chemical| aspirin ] dose</c> or <c>The &lt;Chemical&gt;aspirin&lt;/Chemical&gt; dose</c>.
    /// <paramref name="escapeXml"/> escapes <c>&amp; &lt; &gt;</c> in the words, for engines that parse XML.
    /// </summary>
    public static string Encode(Sentence sentence, MarkerStyle style, bool escapeXml = false)
    {
        var space = SpaceBefore(sentence);
        var spans = Schemes.Spans(sentence.Labels);
        var sb = new StringBuilder();
        int k = 0;
        for (int i = 0; i < sentence.Count; i++)
        {
            if (i > 0 && space[i]) sb.Append(' ');
            if (k < spans.Count && spans[k].Start == i) sb.Append(style == MarkerStyle.WordBound ? WordBoundOpen(k) : Open(spans[k].Type, style));
            sb.Append(escapeXml ? Escape(sentence.Words[i]) : sentence.Words[i]);
            if (k < spans.Count && spans[k].End == i + 1) sb.Append(Close(spans[k++].Type, style));
        }
        return sb.ToString();
    }

    /// <summary>The opening marker as written (<c>[Type| </c> or <c>&lt;Type&gt;</c>; word-bound ones are numbered, <see cref="WordBoundOpen"/>).</summary>
    public static string Open(string type, MarkerStyle style) => style == MarkerStyle.Xml ? $"<{type}>" : $"[{type}| ";

    /// <summary>The closing marker as written (<c> ]</c>, <c>&lt;/Type&gt;</c> or <c>[[/]]</c>).</summary>
    public static string Close(string type, MarkerStyle style) => style switch
    {
        MarkerStyle.Xml => $"</{type}>",
        MarkerStyle.WordBound => WordBoundClose,
        _ => " ]",
    };

    /// <summary>The word-bound blank that opens the sentence's entity number <paramref name="entity"/> (0-based).</summary>
    public static string WordBoundOpen(int entity) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[[t:{entity}]]");

    /// <summary>The end of a word-bound blank's scope.</summary>
    public const string WordBoundClose = "[[/]]";

    /// <summary>
    /// Checks that every entity type can be written as a marker of <paramref name="style"/> (an XML name for XML;
    /// no brackets, bar or whitespace for brackets); <see cref="BioNerException"/> naming <c>--marker-style</c> otherwise.
    /// </summary>
    public static void CheckTypes(IEnumerable<string> types, MarkerStyle style)
    {
        if (style == MarkerStyle.WordBound) return; // ids are written, not types
        foreach (string t in types)
        {
            bool ok = style == MarkerStyle.Xml ? XmlName().IsMatch(t) : BracketType().IsMatch(t);
            if (!ok)
                throw new BioNerException($"--marker-style {style.ToString().ToLowerInvariant()}: entity type '{t}' cannot be written as a marker" +
                    (style == MarkerStyle.Xml ? " (not an XML name); use --marker-style brackets" : " (contains [ ] | or whitespace)"));
        }
    }

    /// <summary>Escapes the characters XML gives a meaning to.</summary>
    public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>Undoes <see cref="Escape"/> (and the quote entities an XML-aware engine may add).</summary>
    public static string Unescape(string text) =>
        text.Replace("&lt;", "<").Replace("&gt;", ">").Replace("&quot;", "\"").Replace("&apos;", "'").Replace("&amp;", "&");

    /// <summary>
    /// Per word, whether a space precedes it: from the offsets when they are usable (one per word, as long as the word,
    /// increasing), else by punctuation rules.
    /// </summary>
    private static bool[] SpaceBefore(Sentence s)
    {
        var space = new bool[s.Count];
        bool useOffsets = s.Offsets is { } o && o.Count == s.Count
            && Enumerable.Range(0, s.Count).All(i => o[i].End - o[i].Start == s.Words[i].Length && (i == 0 || o[i].Start >= o[i - 1].End));
        for (int i = 1; i < s.Count; i++)
            space[i] = useOffsets
                ? s.Offsets![i].Start > s.Offsets[i - 1].End
                : !NoSpaceBefore.Contains(s.Words[i]) && !NoSpaceAfter.Contains(s.Words[i - 1]);
        return space;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-]*$")]
    private static partial Regex XmlName();

    [GeneratedRegex(@"^[^\[\]|<>\s]+$")]
    private static partial Regex BracketType();
}
