namespace BioNer.Data.Craft;

/// <summary>
/// Settings of <see cref="CraftConverter"/>. Why configurable: CRAFT has ten ontology layers, each with and without
/// "+extensions" classes, and which of them become which NER tag (and which tag wins a tie) is a modelling choice.
/// </summary>
public sealed record CraftOptions
{
    /// <summary>
    /// CRAFT v5 ontology folder → NER tag used by the reference model: CHEBI→Chemical, CL→Cell, PR→Protein,
    /// NCBITaxon→Taxon, SO→Sequence, GO_CC→Gene (CRAFT v5 has no gene layer; GO cellular components stand in).
    /// </summary>
    public static IReadOnlyDictionary<string, string> DefaultTagMap { get; } = TagMapOf(LabelMap.CraftV5);

    /// <summary>
    /// The ontology → tag map of a <see cref="LabelMap"/> (the one parser of <c>OLD=NEW</c> specs): dropped entries
    /// (<c>GO=-</c>) are left out, so their layer is not read. Dropping unlisted types (<c>*=-</c>) is what a tag map
    /// always does, so it is accepted and changes nothing.
    /// </summary>
    public static IReadOnlyDictionary<string, string> TagMapOf(LabelMap map) =>
        map.Mappings.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!, StringComparer.Ordinal);

    /// <summary>
    /// Default winner order when two layers annotate exactly the same characters: the more specific molecular types
    /// first (a protein name is also a chemical entity in CHEBI), organisms last.
    /// </summary>
    public static IReadOnlyList<string> DefaultTypePriority { get; } =
        ["Protein", "Chemical", "Cell", "Gene", "Sequence", "Taxon"];

    /// <summary>Ontology folder under <c>concept-annotation/</c> → NER tag. Several folders may share a tag.</summary>
    public IReadOnlyDictionary<string, string> TagMap { get; init; } = DefaultTagMap;

    /// <summary>Read the <c>&lt;ONT&gt;+extensions</c> annotation sets (CRAFT's extra, corpus-defined classes) instead of
    /// the plain ones. Default false: the plain sets contain only classes of the public ontologies.</summary>
    public bool UseExtensions { get; init; }

    /// <summary>Tag order deciding identical extents with different tags: earlier wins. Tags not listed rank after the
    /// listed ones, in ordinal order.</summary>
    public IReadOnlyList<string> TypePriority { get; init; } = DefaultTypePriority;

    /// <summary>Policy for discontinuous mentions.</summary>
    public DiscontinuousPolicy Discontinuous { get; init; } = DiscontinuousPolicy.Drop;

    /// <summary>When set, only these article ids are converted (others are ignored even if listed in a split file).</summary>
    public IReadOnlyCollection<string>? Documents { get; init; }

    internal int Rank(string tag)
    {
        for (int i = 0; i < TypePriority.Count; i++)
            if (TypePriority[i] == tag) return i;
        return TypePriority.Count;
    }
}
