using System.Xml.Linq;

namespace BioNer.Literature;

/// <summary>
/// One mention inside a <see cref="Passage"/>: a span of the passage text with its type. Why passage-relative UTF-16
/// indices: they index the .NET string the model saw, whatever unit the file's offsets use; writers turn them into
/// document-level offsets in the run's <see cref="OffsetUnit"/> (BioC requires document-level offsets).
/// </summary>
/// <param name="Type">Entity type (<c>Chemical</c>), BioC <c>infons.type</c>, PubTator's fifth column.</param>
/// <param name="Start">Inclusive start, UTF-16 index into <see cref="Passage.Text"/>.</param>
/// <param name="End">Exclusive end, UTF-16 index into <see cref="Passage.Text"/>.</param>
/// <param name="Text">The covered text as the source gives it (equals <c>Text[Start..End]</c> for BioNer's own mentions).</param>
/// <param name="Score">Model confidence in [0, 1]; null for mentions read from the input.</param>
public sealed record Mention(string Type, int Start, int End, string Text, double? Score = null)
{
    /// <summary>Extra columns or infons of an input mention (PubTator concept id, BioC <c>identifier</c>), written back as read.</summary>
    public IReadOnlyDictionary<string, string> Infons { get; init; } = EmptyInfons;

    internal static readonly IReadOnlyDictionary<string, string> EmptyInfons = new Dictionary<string, string>();
}

/// <summary>
/// A run of text of a document (title, one abstract section, a full-text paragraph), the unit BioC annotates.
/// </summary>
/// <param name="Offset">Document-level offset of the passage's first character, in the run's <see cref="OffsetUnit"/>.</param>
/// <param name="Text">The passage text, markup flattened to its characters.</param>
/// <param name="Infons">BioC infons (<c>type</c> = <c>title</c>, <c>abstract</c>, ...; PubMed's <c>Label</c>/<c>NlmCategory</c>).</param>
public sealed record Passage(int Offset, string Text, IReadOnlyDictionary<string, string> Infons)
{
    /// <summary>Mentions the input already had (kept and written back), in input order.</summary>
    public IReadOnlyList<Mention> Existing { get; init; } = [];

    /// <summary>Mentions BioNer found, in text order; filled by the annotator.</summary>
    public IReadOnlyList<Mention> Predicted { get; init; } = [];

    /// <summary>The passage's <c>type</c> infon, or null.</summary>
    public string? Type => Infons.TryGetValue("type", out var t) ? t : null;

    /// <summary>
    /// What a writer that builds the passage anew (the input was another format) writes: the input's mentions whose
    /// span lies in this passage, then BioNer's.
    /// </summary>
    public IReadOnlyList<Mention> KeptAndPredicted() =>
        Existing.Where(m => m.Start >= 0 && m.End >= m.Start && m.End <= Text.Length).Concat(Predicted).ToList();

    /// <summary>
    /// A kept mention's infons as BioC writes them (besides <c>type</c>): PubTator's sixth column (the concept id)
    /// becomes <c>identifier</c>, as NCBI's converters name it.
    /// </summary>
    internal static IEnumerable<(string Key, string Value)> OutputInfons(Mention m) =>
        m.Infons.Where(kv => kv.Key is not ("type" or "score"))
            .Select(kv => (kv.Key == "column6" ? "identifier" : kv.Key, kv.Value));
}

/// <summary>
/// A document of the literature (a PubMed citation, a BioC document, a PubTator block, a text file): an id and its
/// passages in order. Readers yield them one at a time, so a 30,000-citation baseline file never sits in memory whole.
/// </summary>
/// <param name="Id">PMID, BioC document id, PubTator id or file stem.</param>
/// <param name="Passages">The passages, in document order.</param>
public sealed record Document(string Id, IReadOnlyList<Passage> Passages)
{
    /// <summary>Document-level infons (BioC), e.g. PubMed's <c>pmid_version</c>.</summary>
    public IReadOnlyDictionary<string, string> Infons { get; init; } = Mention.EmptyInfons;

    /// <summary>
    /// The BioC XML element the document was read from, when it was; the BioC XML writer adds the new annotations to it,
    /// so everything the input held (sentences, relations, unknown elements) goes out unchanged.
    /// </summary>
    public XElement? BioCXml { get; init; }

    /// <summary>The BioC JSON object the document was read from (raw UTF-8), kept for the same reason as <see cref="BioCXml"/>.</summary>
    public byte[]? BioCJson { get; init; }

    /// <summary>PubTator lines other than title, abstract and mentions (relations), written back after the mentions.</summary>
    public IReadOnlyList<string> ExtraLines { get; init; } = [];

    /// <summary>1-based line (or element line) where the document starts in its file, for error messages.</summary>
    public int? SourceLine { get; init; }

    /// <summary>Number of mentions BioNer predicted over all passages.</summary>
    public int PredictedCount => Passages.Sum(p => p.Predicted.Count);

    /// <summary>
    /// Passages laid out one after another, each starting one unit after the previous ends (title, space, abstract), as
    /// PubTator and PubMed derived documents use: offsets <c>0</c>, <c>len(title) + 1</c>, ...
    /// </summary>
    public static IReadOnlyList<Passage> Consecutive(IEnumerable<(string Text, IReadOnlyDictionary<string, string> Infons)> parts, OffsetUnit unit)
    {
        var passages = new List<Passage>();
        int offset = 0;
        foreach (var (text, infons) in parts)
        {
            passages.Add(new Passage(offset, text, infons));
            offset += Offsets.Length(text, unit) + 1;
        }
        return passages;
    }
}
