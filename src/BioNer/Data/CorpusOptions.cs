namespace BioNer.Data;

/// <summary>The corpus file formats BioNer reads and writes.</summary>
public enum CorpusFormat
{
    /// <summary>CoNLL columns: one word per line, label column(s), blank line between sentences.</summary>
    Conll,
    /// <summary>JSON Lines as HuggingFace <c>datasets</c> writes them: <c>{"tokens": [...], "ner_tags": [...]}</c> per line.</summary>
    Jsonl,
    /// <summary>BRAT standoff: a folder of <c>.txt</c> + <c>.ann</c> pairs with character-offset annotations.</summary>
    Brat,
}

/// <summary>
/// What a reader does with a mention made of several separate spans (BRAT <c>T1 Type 0 5;10 15</c>, CRAFT
/// <c>white ... fat</c>): one policy for every format, since word-level IOB2 cannot express a gap in any of them.
/// </summary>
public enum DiscontinuousPolicy
{
    /// <summary>Skip it (default): the extent would cover unrelated words, and the pieces alone are rarely the concept
    /// (<c>collecting ducts of</c> is not an anatomical entity), so a partial label would teach the model wrong edges.</summary>
    Drop,
    /// <summary>Use the extent from the first fragment's start to the last fragment's end (gap included).</summary>
    Extent,
    /// <summary>Keep only the first fragment, labelled with the mention's type.</summary>
    FirstSpan,
}

/// <summary>
/// Options shared by the corpus readers. Defaults read the common case: scheme auto-detected, last CoNLL column is the
/// label, strict validation (an invalid label sequence is an error naming file and line).
/// </summary>
public sealed record ReadOptions
{
    /// <summary>The scheme the file's labels are in; null = detect (<see cref="Schemes.Detect"/>). Labels become IOB2.</summary>
    public TaggingScheme? Scheme { get; init; }

    /// <summary>
    /// When true, invalid sequences (orphan <c>I-</c>, type change inside a span) are repaired with the conlleval rules
    /// instead of raising an error; malformed labels are still errors.
    /// </summary>
    public bool Lenient { get; init; }

    /// <summary>When true, labels are kept exactly as read (trimmed): no detection, validation, conversion or mapping.</summary>
    public bool RawLabels { get; init; }

    /// <summary>Renames/drops entity types after conversion to IOB2 (BRAT: before overlap resolution).</summary>
    public LabelMap? LabelMap { get; init; }

    /// <summary>CoNLL: 0-based column holding the word.</summary>
    public int TokenColumn { get; init; }

    /// <summary>CoNLL: column holding the label; 0-based, negative counts from the end (-1 = last, the default).</summary>
    public int LabelColumn { get; init; } = -1;

    /// <summary>JSONL: names of the label ids when <c>ner_tags</c> holds integers (else <c>dataset_info.json</c> next to the file is read).</summary>
    public IReadOnlyList<string>? LabelNames { get; init; }

    /// <summary>JSONL: the field holding the words.</summary>
    public string TokensField { get; init; } = "tokens";

    /// <summary>JSONL: the field holding the tags.</summary>
    public string TagsField { get; init; } = "ner_tags";

    /// <summary>BRAT: what to do with discontinuous annotations.</summary>
    public DiscontinuousPolicy Discontinuous { get; init; } = DiscontinuousPolicy.Drop;

    /// <summary>BRAT: whether a line break ends a sentence (titles, one paragraph per line); false for hard-wrapped text.</summary>
    public bool NewlineEndsSentence { get; init; } = true;

    /// <summary>The defaults.</summary>
    public static ReadOptions Default { get; } = new();
}

/// <summary>Options shared by the corpus writers.</summary>
public sealed record WriteOptions
{
    /// <summary>The scheme labels are written in (they are IOB2 in memory).</summary>
    public TaggingScheme Scheme { get; init; } = TaggingScheme.IOB2;

    /// <summary>CoNLL: write a <c>-DOCSTART-</c> line (and a blank line) where the document id changes.</summary>
    public bool DocStart { get; init; } = true;

    /// <summary>JSONL: write integer <c>ner_tags</c> indexing these names (unknown labels are an error) instead of strings.</summary>
    public IReadOnlyList<string>? LabelNames { get; init; }

    /// <summary>The defaults.</summary>
    public static WriteOptions Default { get; } = new();
}

/// <summary>
/// What a reader did, for the CLI to print: the scheme it read, and the counts behind the documented BRAT policies
/// (so a user sees how many annotations did not make it into word labels and why).
/// </summary>
public sealed record ReadReport
{
    /// <summary>The scheme the labels were read as (null when <see cref="ReadOptions.RawLabels"/> or BRAT).</summary>
    public TaggingScheme? Scheme { get; init; }

    /// <summary>Whether <see cref="Scheme"/> was detected rather than given.</summary>
    public bool SchemeDetected { get; init; }

    /// <summary>Sentences repaired because <see cref="ReadOptions.Lenient"/> was set.</summary>
    public int RepairedSentences { get; init; }

    /// <summary>BRAT: text-bound annotations read.</summary>
    public int Spans { get; init; }

    /// <summary>BRAT: discontinuous annotations met (dropped or widened per <see cref="ReadOptions.Discontinuous"/>).</summary>
    public int Discontinuous { get; init; }

    /// <summary>BRAT/label map: spans dropped because their type maps to nothing.</summary>
    public int DroppedByLabelMap { get; init; }

    /// <summary>BRAT: overlapping or nested spans dropped (the longest is kept, earlier start wins ties).</summary>
    public int OverlapsDropped { get; init; }

    /// <summary>BRAT: words split because an annotation boundary fell inside them.</summary>
    public int BoundarySplits { get; init; }

    /// <summary>BRAT: sentence breaks removed because they fell inside an annotation.</summary>
    public int SentenceBreaksMerged { get; init; }

    /// <summary>BRAT: spans that cover no word (only whitespace) and so vanish.</summary>
    public int EmptySpans { get; init; }
}

/// <summary>A corpus and what reading it did.</summary>
/// <param name="Corpus">The sentences (labels IOB2 unless raw).</param>
/// <param name="Report">Counts and the detected scheme.</param>
public sealed record ReadResult(Corpus Corpus, ReadReport Report);
