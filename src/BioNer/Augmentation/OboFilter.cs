namespace BioNer.Augmentation;

/// <summary>
/// Which terms of an ontology feed one entity type. Needed because CRAFT annotates with parts of ontologies: GO_CC
/// mentions only take cellular_component names, and a merged file may hold several prefixes. All set conditions must
/// hold; obsolete terms are always left out.
/// </summary>
public sealed record OboFilter
{
    /// <summary>Keep only ids starting with this prefix (e.g. <c>CHEBI:</c>); null keeps all.</summary>
    public string? IdPrefix { get; init; }

    /// <summary>Keep only terms whose <c>namespace:</c> equals this (e.g. <c>cellular_component</c>); null keeps all.</summary>
    public string? Namespace { get; init; }

    /// <summary>Keep only this id and its <c>is_a</c> descendants (e.g. <c>GO:0005575</c>); null keeps all.</summary>
    public string? SubtreeRoot { get; init; }

    /// <summary>Synonym scopes taken as other names of a term; EXACT only by default, since broader or narrower
    /// synonyms would change the meaning of a replaced mention.</summary>
    public IReadOnlySet<string> SynonymScopes { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "EXACT" };

    /// <summary>The default: every non-obsolete term, names and EXACT synonyms.</summary>
    public static OboFilter All { get; } = new();

    /// <summary>
    /// Parses the filter part of a CLI term source (<c>TAG=file.obo:FILTER</c>): comma-separated conditions, each
    /// <c>prefix=CHEBI:</c>, <c>namespace=cellular_component</c>, <c>subtree=GO:0005575</c> or
    /// <c>scopes=EXACT+RELATED</c>, or a shorthand: a value ending in ':' is a prefix, a value with ':' inside is a
    /// subtree root, anything else a namespace.
    /// </summary>
    public static OboFilter Parse(string spec)
    {
        var filter = All;
        foreach (string part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            string key = eq < 0 ? Shorthand(part) : part[..eq].ToLowerInvariant();
            string value = eq < 0 ? part : part[(eq + 1)..];
            if (value.Length == 0) throw new BioNerException($"OBO filter '{spec}': '{key}' has no value");
            filter = key switch
            {
                "prefix" => filter with { IdPrefix = value },
                "namespace" => filter with { Namespace = value },
                "subtree" => filter with { SubtreeRoot = value },
                "scopes" => filter with { SynonymScopes = ParseScopes(value, spec) },
                _ => throw new BioNerException($"OBO filter '{spec}': unknown condition '{key}' (prefix, namespace, subtree, scopes)"),
            };
        }
        return filter;
    }

    private static string Shorthand(string value) =>
        value.EndsWith(':') ? "prefix" : value.Contains(':') ? "subtree" : "namespace";

    private static HashSet<string> ParseScopes(string value, string spec)
    {
        var scopes = value.Split('+', StringSplitOptions.RemoveEmptyEntries).Select(s => s.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        var bad = scopes.FirstOrDefault(s => s is not ("EXACT" or "NARROW" or "BROAD" or "RELATED"));
        if (bad is not null) throw new BioNerException($"OBO filter '{spec}': unknown synonym scope '{bad}'");
        return scopes;
    }

    /// <summary>
    /// The terms that pass the filter, in input order. <paramref name="source"/> names the file in the error raised when
    /// <see cref="SubtreeRoot"/> is not one of its terms.
    /// </summary>
    public IEnumerable<OboTerm> Apply(IReadOnlyList<OboTerm> terms, string? source = null)
    {
        HashSet<string>? subtree = SubtreeRoot is null ? null : Descendants(terms, SubtreeRoot, source);
        return terms.Where(t => !t.IsObsolete
            && (IdPrefix is null || t.Id.StartsWith(IdPrefix, StringComparison.Ordinal))
            && (Namespace is null || t.Namespace == Namespace)
            && (subtree is null || subtree.Contains(t.Id)));
    }

    /// <summary>The root and every term that reaches it through <c>is_a</c> links (transitive closure).</summary>
    private static HashSet<string> Descendants(IReadOnlyList<OboTerm> terms, string root, string? source)
    {
        if (!terms.Any(t => t.Id == root)) throw new BioNerException($"subtree root '{root}' is not a term of the ontology", source);
        var children = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var t in terms)
            foreach (string parent in t.IsA)
            {
                if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
                list.Add(t.Id);
            }
        var seen = new HashSet<string>(StringComparer.Ordinal) { root };
        var queue = new Queue<string>([root]);
        while (queue.Count > 0)
            if (children.TryGetValue(queue.Dequeue(), out var kids))
                foreach (string kid in kids)
                    if (seen.Add(kid)) queue.Enqueue(kid);
        return seen;
    }
}
