using static BioNer.Data.LabelTable.Prefix;

namespace BioNer.Data;

/// <summary>
/// seqeval's strict-mode entity reader (<c>Tokens.entities</c> in <c>scheme.py</c>) on encoded labels: per sentence, a
/// start pattern opens an entity, inside patterns extend it, and it is kept only when the end pattern holds between its
/// last token and the next one (the sentence is followed by an <c>O</c>). Positions are reported in the same flattened
/// stream as <see cref="ConllChunker"/> (one separator per sentence), so both modes share the counting code.
/// </summary>
internal static class StrictChunker
{
    /// <summary>
    /// Appends the valid entities of <paramref name="labels"/> to <paramref name="output"/>, in order of position.
    /// Throws a <see cref="BioNerException"/> naming <paramref name="side"/>, sentence and token for a prefix the scheme
    /// does not allow (seqeval raises <c>ValueError</c> there).
    /// </summary>
    public static void Chunk(EncodedLabels labels, LabelTable table, TaggingScheme scheme, List<ChunkRef> output,
        string side)
    {
        var rules = SchemeTable.For(scheme);
        Validate(labels, table, rules, scheme, side);
        var prefixes = new byte[table.LabelCount];
        var types = new int[table.LabelCount];
        for (int id = 0; id < prefixes.Length; id++) (prefixes[id], types[id]) = (table.PrefixOf(id), table.TypeOf(id));
        for (int s = 0; s < labels.SentenceCount; s++)
        {
            var sentence = new Tokens(labels.Ids, labels.Starts[s], labels.Starts[s + 1], prefixes, types, table.OType);
            ReadSentence(sentence, rules, labels.Starts[s] + s, output);
        }
    }

    /// <summary>One sentence plus the trailing <c>O</c>: token <c>Length</c> is that <c>O</c>.</summary>
    private readonly ref struct Tokens(int[] ids, int from, int to, byte[] prefixes, int[] types, int oType)
    {
        public int Length => to - from;
        public byte Prefix(int i) => i == Length ? O : prefixes[ids[from + i]];
        public int Type(int i) => i == Length ? oType : types[ids[from + i]];
        public bool SameType(int a, int b) => Type(a) == Type(b);
    }

    private static void ReadSentence(Tokens tokens, SchemeTable rules, int offset, List<ChunkRef> output)
    {
        int extended = tokens.Length + 1;
        int i = 0, prev = -1; // -1: the outside token before the sentence
        while (i < extended)
        {
            if (IsStart(tokens, rules, prev, i))
            {
                int end = Forward(tokens, rules, i + 1, i);
                if (rules.IsEnd(tokens.Prefix(end - 1), tokens.Prefix(end), tokens.SameType(end - 1, end)))
                    output.Add(new ChunkRef(tokens.Type(i), offset + i, offset + end - 1));
                i = end;
            }
            else
            {
                i++;
            }
            prev = i - 1;
        }
    }

    private static bool IsStart(Tokens tokens, SchemeTable rules, int prev, int i)
    {
        byte prevPrefix = prev < 0 ? O : tokens.Prefix(prev);
        bool same = prev < 0 ? tokens.Type(i) == tokens.Type(tokens.Length) : tokens.SameType(prev, i);
        return rules.IsStart(prevPrefix, tokens.Prefix(i), same);
    }

    /// <summary>seqeval <c>_forward</c>: the first index from <paramref name="start"/> that is not inside the chunk.</summary>
    private static int Forward(Tokens tokens, SchemeTable rules, int start, int prev)
    {
        for (int i = start; i <= tokens.Length; i++)
        {
            if (!rules.IsInside(tokens.Prefix(prev), tokens.Prefix(i), tokens.SameType(prev, i))) return i;
            prev = i;
        }
        return tokens.Length - 1; // unreachable: no scheme lets O be inside, and the last token is O (kept as seqeval)
    }

    private static void Validate(EncodedLabels labels, LabelTable table, SchemeTable rules, TaggingScheme scheme,
        string side)
    {
        var allowed = new bool[table.LabelCount];
        bool all = true;
        for (int id = 0; id < allowed.Length; id++) all &= allowed[id] = rules.IsAllowed(table.PrefixOf(id));
        if (all) return;
        for (int s = 0; s < labels.SentenceCount; s++)
            for (int t = labels.Starts[s]; t < labels.Starts[s + 1]; t++)
                if (!allowed[labels.Ids[t]])
                    throw new BioNerException(
                        $"{side} sentence {s}, token {t - labels.Starts[s]} (0-based): label '{table.LabelOf(labels.Ids[t])}' " +
                        $"is not allowed in strict {scheme}; allowed prefixes are {string.Join(", ", rules.AllowedPrefixes.ToCharArray())}.");
    }
}
