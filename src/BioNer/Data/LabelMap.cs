namespace BioNer.Data;

/// <summary>
/// Renames and drops entity types, so a corpus's ontology names (CRAFT's <c>CHEBI</c>, <c>GGP</c>) become the model's
/// label names (<c>Chemical</c>, <c>Protein</c>) and unwanted types become <c>O</c>. Applying a map re-encodes the
/// spans, so the result is always valid IOB2: a dropped span turns into <c>O</c> words, and two adjacent spans that map
/// to the same name stay two spans (the second keeps its <c>B-</c>).
/// </summary>
public sealed class LabelMap
{
    private readonly Dictionary<string, string?> _map;

    /// <summary>Creates a map from type → new name (null = drop to <c>O</c>).</summary>
    /// <param name="map">The renames; a type not listed is kept as is unless <paramref name="dropUnlisted"/>.</param>
    /// <param name="dropUnlisted">When true, types not in <paramref name="map"/> are dropped (spec entry <c>*=-</c>).</param>
    public LabelMap(IReadOnlyDictionary<string, string?> map, bool dropUnlisted = false)
    {
        _map = new Dictionary<string, string?>(map, StringComparer.Ordinal);
        DropUnlisted = dropUnlisted;
    }

    /// <summary>The renames (null value = dropped type).</summary>
    public IReadOnlyDictionary<string, string?> Mappings => _map;

    /// <summary>Whether types absent from <see cref="Mappings"/> are dropped instead of kept.</summary>
    public bool DropUnlisted { get; }

    /// <summary>
    /// The CRAFT-IOB default used by the reference model: CHEBI→Chemical, CL→Cell, GGP→Protein, GO→Gene,
    /// SO→Sequence, Taxon→Taxon.
    /// </summary>
    public static LabelMap CraftIob { get; } = Parse("CHEBI=Chemical,CL=Cell,GGP=Protein,GO=Gene,SO=Sequence,Taxon=Taxon");

    /// <summary>
    /// The CRAFT v5 default (v5 has no gene layer): CHEBI→Chemical, CL→Cell, PR→Protein, NCBITaxon→Taxon,
    /// SO→Sequence, GO_CC→Gene.
    /// </summary>
    public static LabelMap CraftV5 { get; } = Parse("CHEBI=Chemical,CL=Cell,PR=Protein,NCBITaxon=Taxon,SO=Sequence,GO_CC=Gene");

    /// <summary>
    /// A named map (<c>craft-iob</c>: Crichton et al.'s CRAFT-IOB tags; <c>craft-v5</c>: CRAFT v5 ontologies) or an
    /// explicit <see cref="Parse"/> spec — what the CLI's <c>--label-map</c> options accept.
    /// </summary>
    public static LabelMap FromSpec(string spec, string field = "--label-map") => spec.Trim().ToLowerInvariant() switch
    {
        "craft-iob" or "crichton" => CraftIob,
        "craft-v5" => CraftV5,
        _ => Parse(spec, field),
    };

    /// <summary>
    /// Parses <c>OLD=NEW,OLD=NEW,...</c>: <c>NEW</c> empty or <c>-</c> drops the type; <c>*=-</c> drops every type not
    /// listed. Spaces around names are trimmed. Errors name <paramref name="field"/> (the CLI option) and the entry.
    /// </summary>
    public static LabelMap Parse(string spec, string field = "label map")
    {
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        bool dropUnlisted = false;
        foreach (string raw in spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = raw.IndexOf('=');
            if (eq <= 0) throw new BioNerException($"{field}: entry '{raw}' is not TYPE=NEW (use TYPE=- to drop a type)");
            string from = raw[..eq].Trim(), to = raw[(eq + 1)..].Trim();
            if (to.Any(char.IsWhiteSpace) || from.Any(char.IsWhiteSpace))
                throw new BioNerException($"{field}: entry '{raw}' has spaces inside a type name");
            if (from == "*")
            {
                if (to is not ("" or "-")) throw new BioNerException($"{field}: '*' can only be dropped ('*=-'), not renamed");
                dropUnlisted = true;
                continue;
            }
            if (!map.TryAdd(from, to is "" or "-" ? null : to))
                throw new BioNerException($"{field}: type '{from}' is mapped twice");
        }
        return new LabelMap(map, dropUnlisted);
    }

    /// <summary>The new name of <paramref name="type"/>, or null when it is dropped.</summary>
    public string? MapType(string type) =>
        _map.TryGetValue(type, out var to) ? to : DropUnlisted ? null : type;

    /// <summary>Applies the map to one IOB2 label sequence (decoded leniently, re-encoded as valid IOB2).</summary>
    public IReadOnlyList<string> Apply(IReadOnlyList<string> iob2Labels)
    {
        var spans = new List<LabelledSpan>();
        foreach (var span in Schemes.Spans(iob2Labels))
            if (MapType(span.Type) is { } to) spans.Add(span with { Type = to });
        return Schemes.Encode(spans, iob2Labels.Count);
    }

    /// <summary>Applies the map to a sentence's labels; everything else is kept.</summary>
    public Sentence Apply(Sentence sentence) => sentence with { Labels = Apply(sentence.Labels) };

    /// <summary>Applies the map to every sentence of a corpus.</summary>
    public Corpus Apply(Corpus corpus) => corpus with { Sentences = corpus.Sentences.Select(Apply).ToList() };

    /// <summary>The spec string (<c>A=B,C=-</c>), parseable by <see cref="Parse"/>.</summary>
    public override string ToString() =>
        string.Join(",", _map.Select(kv => $"{kv.Key}={kv.Value ?? "-"}").Concat(DropUnlisted ? ["*=-"] : []));
}
