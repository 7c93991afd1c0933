namespace BioNer.Data;

/// <summary>
/// One sentence of a word-tokenized corpus: words and one IOB2 label per word (labels are always IOB2 inside BioNer;
/// readers convert other schemes on the way in). Character offsets, when known, index the source document's text so that
/// predictions can be mapped back to it.
/// </summary>
/// <param name="Words">The words, in order.</param>
/// <param name="Labels">One label per word (e.g. <c>B-Chemical</c>, <c>I-Chemical</c>, <c>O</c>).</param>
public sealed record Sentence(IReadOnlyList<string> Words, IReadOnlyList<string> Labels)
{
    /// <summary>Per word, the [start, end) character span in the document text; null when the source has no text.</summary>
    public IReadOnlyList<(int Start, int End)>? Offsets { get; init; }

    /// <summary>The sentence's own id when the source has one (JSON Lines <c>"id"</c>); written back by the JSONL writer.</summary>
    public string? Id { get; init; }

    /// <summary>The document the sentence came from (CoNLL <c>-DOCSTART-</c> blocks, BRAT file, CRAFT article id).</summary>
    public string? DocumentId { get; init; }

    /// <summary>1-based line of the sentence's first word in its source file, for error messages.</summary>
    public int? SourceLine { get; init; }

    /// <summary>Number of words.</summary>
    public int Count => Words.Count;
}

/// <summary>A named, ordered list of sentences (one split of a data set).</summary>
/// <param name="Sentences">The sentences in file order.</param>
/// <param name="Source">Where the corpus was read from (file path or description), for messages.</param>
public sealed record Corpus(IReadOnlyList<Sentence> Sentences, string? Source = null)
{
    /// <summary>Total number of words over all sentences.</summary>
    public long TokenCount => Sentences.Sum(s => (long)s.Count);

    /// <summary>The entity types present in the labels (the part after <c>B-</c>/<c>I-</c>), sorted ordinally.</summary>
    public IReadOnlyList<string> EntityTypes() =>
        Sentences.SelectMany(s => s.Labels).Select(Schemes.Parse).Where(p => p is { Prefix: not 'O' }).Select(p => p!.Value.Type)
            .Distinct().OrderBy(t => t, StringComparer.Ordinal).ToList();
}
