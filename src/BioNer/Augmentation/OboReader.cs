using System.Text;

namespace BioNer.Augmentation;

/// <summary>One synonym line of an OBO term.</summary>
/// <param name="Text">The synonym with OBO escapes resolved.</param>
/// <param name="Scope">EXACT, NARROW, BROAD or RELATED (RELATED when the line gives none, as OBO 1.4 says).</param>
public sealed record OboSynonym(string Text, string Scope);

/// <summary>
/// The parts of an OBO <c>[Term]</c> stanza that entity replacement needs: the names a concept goes by, where it sits in
/// the <c>is_a</c> hierarchy (for subtree filters) and whether it is obsolete.
/// </summary>
/// <param name="Id">The term id, e.g. <c>CHEBI:17234</c>.</param>
/// <param name="Name">The primary name, or null when the stanza has none.</param>
/// <param name="Namespace">The <c>namespace:</c> value (GO: cellular_component, ...), or null.</param>
/// <param name="Synonyms">All synonym lines, every scope.</param>
/// <param name="IsA">Parent ids from <c>is_a:</c> lines.</param>
/// <param name="IsObsolete">True when the stanza says <c>is_obsolete: true</c>.</param>
/// <param name="Line">1-based line of the stanza header, for messages.</param>
public sealed record OboTerm(string Id, string? Name, string? Namespace, IReadOnlyList<OboSynonym> Synonyms,
    IReadOnlyList<string> IsA, bool IsObsolete, int Line);

/// <summary>
/// Reads OBO 1.2/1.4 flat files (the format of the CRAFT ontologies: CHEBI, CL, GO, PR, SO, NCBITaxon). Only
/// <c>[Term]</c> stanzas are returned; <c>[Typedef]</c>/<c>[Instance]</c> stanzas and the header are checked for syntax and
/// skipped. A malformed line is a <see cref="BioNerException"/> naming file and line, so a broken download fails loudly
/// instead of silently producing a thin term list.
/// </summary>
public static class OboReader
{
    private static readonly HashSet<string> Scopes = ["EXACT", "NARROW", "BROAD", "RELATED"];

    /// <summary>Reads the terms of the OBO file at <paramref name="path"/>, in file order (obsolete ones included, flagged).</summary>
    public static IReadOnlyList<OboTerm> Read(string path)
    {
        if (!File.Exists(path)) throw new BioNerException("OBO file not found", path);
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Read(reader, path);
    }

    /// <summary>Reads OBO text from <paramref name="reader"/>; <paramref name="source"/> names it in error messages.</summary>
    public static IReadOnlyList<OboTerm> Read(TextReader reader, string source)
    {
        var terms = new List<OboTerm>();
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        StanzaBuilder? stanza = null;
        bool inTerm = false;
        int lineNo = 0;
        for (string? raw = reader.ReadLine(); raw is not null; raw = reader.ReadLine())
        {
            lineNo++;
            string line = StripComment(raw, source, lineNo).Trim();
            if (line.Length == 0) continue;
            if (line[0] == '[')
            {
                if (line[^1] != ']') throw new BioNerException($"malformed stanza header '{line}'", source, lineNo);
                Finish(stanza, terms, byId, source);
                inTerm = line == "[Term]";
                stanza = inTerm ? new StanzaBuilder(lineNo) : null;
                continue;
            }
            int colon = line.IndexOf(':');
            if (colon <= 0 || line[..colon].Any(char.IsWhiteSpace))
                throw new BioNerException($"expected 'tag: value', got '{Truncate(line)}'", source, lineNo);
            if (inTerm) stanza!.Add(line[..colon], line[(colon + 1)..].Trim(), source, lineNo);
        }
        Finish(stanza, terms, byId, source);
        return terms;
    }

    private static void Finish(StanzaBuilder? stanza, List<OboTerm> terms, Dictionary<string, int> byId, string source)
    {
        if (stanza is null) return;
        if (stanza.Id is null) throw new BioNerException("[Term] stanza has no id", source, stanza.Line);
        var term = stanza.Build();
        if (byId.TryGetValue(term.Id, out int at))
        {
            // OBO says stanzas with the same id are merged.
            var old = terms[at];
            terms[at] = old with
            {
                Name = old.Name ?? term.Name,
                Namespace = old.Namespace ?? term.Namespace,
                Synonyms = [.. old.Synonyms, .. term.Synonyms],
                IsA = [.. old.IsA, .. term.IsA],
                IsObsolete = old.IsObsolete || term.IsObsolete,
            };
            return;
        }
        byId[term.Id] = terms.Count;
        terms.Add(term);
    }

    /// <summary>Removes an unquoted, unescaped <c>!</c> comment; checks that quotes are closed.</summary>
    private static string StripComment(string line, string source, int lineNo)
    {
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '\\') { i++; continue; }
            if (c == '"') quoted = !quoted;
            else if (c == '!' && !quoted) return line[..i];
        }
        if (quoted) throw new BioNerException("unterminated quoted text", source, lineNo);
        return line;
    }

    /// <summary>Resolves OBO escapes: <c>\n</c>, <c>\t</c>, <c>\W</c> become a space, any other <c>\x</c> becomes x.</summary>
    internal static string Unescape(string value)
    {
        if (!value.Contains('\\')) return value;
        var sb = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c != '\\' || i + 1 == value.Length) { sb.Append(c); continue; }
            char next = value[++i];
            sb.Append(next is 'n' or 't' or 'W' ? ' ' : next);
        }
        return sb.ToString();
    }

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..57] + "...";

    /// <summary>Collects the tags of one [Term] stanza.</summary>
    private sealed class StanzaBuilder(int line)
    {
        public int Line { get; } = line;
        public string? Id { get; private set; }
        private string? _name, _namespace;
        private bool _obsolete;
        private readonly List<OboSynonym> _synonyms = [];
        private readonly List<string> _isA = [];

        public void Add(string tag, string value, string source, int lineNo)
        {
            switch (tag)
            {
                case "id":
                    if (Id is not null) throw new BioNerException("second id in one [Term] stanza", source, lineNo);
                    Id = FirstToken(value, tag, source, lineNo);
                    break;
                case "name": _name = Unescape(value); break;
                case "namespace": _namespace = FirstToken(value, tag, source, lineNo); break;
                case "is_a": _isA.Add(FirstToken(value, tag, source, lineNo)); break;
                case "is_obsolete": _obsolete = value == "true"; break;
                case "synonym": _synonyms.Add(ParseSynonym(value, null, source, lineNo)); break;
                case "exact_synonym": _synonyms.Add(ParseSynonym(value, "EXACT", source, lineNo)); break;
                case "narrow_synonym": _synonyms.Add(ParseSynonym(value, "NARROW", source, lineNo)); break;
                case "broad_synonym": _synonyms.Add(ParseSynonym(value, "BROAD", source, lineNo)); break;
                case "related_synonym": _synonyms.Add(ParseSynonym(value, "RELATED", source, lineNo)); break;
            }
        }

        public OboTerm Build() => new(Id!, _name, _namespace, _synonyms, _isA, _obsolete, Line);

        private static string FirstToken(string value, string tag, string source, int lineNo)
        {
            string token = value.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            if (token.Length == 0) throw new BioNerException($"'{tag}:' has no value", source, lineNo);
            return token;
        }

        /// <summary>Parses <c>"text" SCOPE [TYPE] [xrefs]</c>; old-style tags fix the scope themselves.</summary>
        private static OboSynonym ParseSynonym(string value, string? fixedScope, string source, int lineNo)
        {
            if (value.Length == 0 || value[0] != '"')
                throw new BioNerException("synonym must start with quoted text", source, lineNo);
            int end = 1;
            while (end < value.Length && value[end] != '"') end += value[end] == '\\' ? 2 : 1;
            if (end >= value.Length) throw new BioNerException("unterminated quoted text in synonym", source, lineNo);
            string text = Unescape(value[1..end]);
            string rest = value[(end + 1)..].TrimStart();
            string scope = fixedScope ?? "RELATED";
            if (fixedScope is null && rest.Length > 0 && rest[0] != '[')
            {
                string word = rest.Split(' ', 2)[0];
                if (!Scopes.Contains(word))
                    throw new BioNerException($"unknown synonym scope '{word}' (EXACT, NARROW, BROAD, RELATED)", source, lineNo);
                scope = word;
            }
            return new OboSynonym(text, scope);
        }
    }
}
