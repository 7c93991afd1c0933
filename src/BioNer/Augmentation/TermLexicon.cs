namespace BioNer.Augmentation;

/// <summary>
/// The names that may stand in for a mention, per entity type: each term already cut into words the way the corpus is,
/// so that a replacement can be relabelled word by word (B-X I-X ...). Terms may carry a concept id (the ontology term
/// they name), which lets <see cref="SynonymReplacement"/> find other names of the concept a mention refers to.
/// Duplicates (same type, same words) are stored once.
/// </summary>
public sealed class TermLexicon
{
    private readonly Dictionary<string, TagTerms> _tags = new(StringComparer.Ordinal);

    /// <summary>Creates an empty lexicon that cuts terms with <paramref name="tokenize"/> (the corpus word tokenizer by default).</summary>
    public TermLexicon(Func<string, IReadOnlyList<string>>? tokenize = null) => Tokenize = tokenize ?? TermTokenizer.Default;

    /// <summary>The tokenizer applied to every term added as text.</summary>
    public Func<string, IReadOnlyList<string>> Tokenize { get; }

    /// <summary>The entity types that have at least one term, sorted ordinally.</summary>
    public IReadOnlyList<string> Tags => _tags.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Total number of distinct terms over all types.</summary>
    public int Count => _tags.Values.Sum(t => t.Terms.Count);

    /// <summary>Adds <paramref name="text"/> (tokenized) as a term of <paramref name="tag"/>; returns false for a duplicate or
    /// a text without words.</summary>
    public bool Add(string tag, string text, string? conceptId = null) => AddWords(tag, Tokenize(text), conceptId);

    /// <summary>Adds an already tokenized term; returns false when it has no words or was already there (its concept id is
    /// still recorded, so a name shared by two concepts links both).</summary>
    public bool AddWords(string tag, IReadOnlyList<string> words, string? conceptId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        if (words.Count == 0 || words.Any(string.IsNullOrWhiteSpace)) return false;
        if (!_tags.TryGetValue(tag, out var terms)) _tags[tag] = terms = new TagTerms();
        return terms.Add(words, conceptId);
    }

    /// <summary>The distinct terms of <paramref name="tag"/> in insertion order; empty for an unknown type.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Terms(string tag) =>
        _tags.TryGetValue(tag, out var t) ? t.Terms : [];

    /// <summary>True when <paramref name="words"/> is a term of <paramref name="tag"/>, ignoring case.</summary>
    public bool Contains(string tag, IReadOnlyList<string> words) =>
        _tags.TryGetValue(tag, out var t) && t.ByFolded.ContainsKey(Fold(words));

    /// <summary>
    /// Other names of the concept(s) that <paramref name="words"/> names within <paramref name="tag"/>: the mention is
    /// looked up case-insensitively among names and synonyms, and every other term of the same concept id that differs
    /// from it (ignoring case) is returned, in insertion order. Empty when the text names no concept.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Synonyms(string tag, IReadOnlyList<string> words)
    {
        if (!_tags.TryGetValue(tag, out var t) || !t.ByFolded.TryGetValue(Fold(words), out var indices)) return [];
        string folded = Fold(words);
        var concepts = indices.SelectMany(i => t.Concepts[i]).ToHashSet(StringComparer.Ordinal);
        return concepts.SelectMany(c => t.ByConcept[c]).Distinct().Order()
            .Select(i => t.Terms[i]).Where(w => Fold(w) != folded).ToList();
    }

    /// <summary>The case-insensitive key of a word sequence.</summary>
    internal static string Fold(IReadOnlyList<string> words) => string.Join(' ', words).ToLowerInvariant();

    private static string Exact(IReadOnlyList<string> words) => string.Join('\u0001', words);

    /// <summary>Terms of one type with their lookup tables.</summary>
    private sealed class TagTerms
    {
        public readonly List<IReadOnlyList<string>> Terms = [];
        public readonly List<List<string>> Concepts = [];
        public readonly Dictionary<string, int> ByExact = new(StringComparer.Ordinal);
        public readonly Dictionary<string, List<int>> ByFolded = new(StringComparer.Ordinal);
        public readonly Dictionary<string, List<int>> ByConcept = new(StringComparer.Ordinal);

        public bool Add(IReadOnlyList<string> words, string? conceptId)
        {
            string exact = Exact(words);
            bool added = !ByExact.TryGetValue(exact, out int index);
            if (added)
            {
                index = Terms.Count;
                ByExact[exact] = index;
                Terms.Add(words.ToArray());
                Concepts.Add([]);
                string folded = Fold(words);
                if (!ByFolded.TryGetValue(folded, out var same)) ByFolded[folded] = same = [];
                same.Add(index);
            }
            if (conceptId is not null && !Concepts[index].Contains(conceptId))
            {
                Concepts[index].Add(conceptId);
                if (!ByConcept.TryGetValue(conceptId, out var members)) ByConcept[conceptId] = members = [];
                members.Add(index);
            }
            return added;
        }
    }
}
