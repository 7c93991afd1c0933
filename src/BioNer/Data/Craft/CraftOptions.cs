namespace BioNer.Data.Craft;

/// <summary>What to do with a mention made of several separate spans (e.g. <c>white ... fat</c>).</summary>
public enum CraftDiscontinuousPolicy
{
    /// <summary>Drop the mention (default): IOB tags cannot express a gap, and the pieces alone are rarely the concept
    /// (<c>collecting ducts of</c> is not an anatomical entity), so a partial label would teach the model wrong edges.</summary>
    Drop,

    /// <summary>Keep only the first span, labelled with the mention's type.</summary>
    FirstSpan,

    /// <summary>Keep the extent from the first span's start to the last span's end (gap included), as
    /// <c>BioNer.Data.DiscontinuousPolicy.Extent</c> does for BRAT.</summary>
    Extent,
}

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
    public static IReadOnlyDictionary<string, string> DefaultTagMap { get; } = new Dictionary<string, string>
    {
        ["CHEBI"] = "Chemical",
        ["CL"] = "Cell",
        ["PR"] = "Protein",
        ["NCBITaxon"] = "Taxon",
        ["SO"] = "Sequence",
        ["GO_CC"] = "Gene",
    };

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
    public CraftDiscontinuousPolicy Discontinuous { get; init; } = CraftDiscontinuousPolicy.Drop;

    /// <summary>When set, only these article ids are converted (others are ignored even if listed in a split file).</summary>
    public IReadOnlyCollection<string>? Documents { get; init; }

    internal int Rank(string tag)
    {
        for (int i = 0; i < TypePriority.Count; i++)
            if (TypePriority[i] == tag) return i;
        return TypePriority.Count;
    }
}
