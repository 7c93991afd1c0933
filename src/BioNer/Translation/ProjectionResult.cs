namespace BioNer.Translation;

/// <summary>How entity labels are carried into the translation (<c>--projection</c>).</summary>
public enum ProjectionMethod
{
    /// <summary>Entities are wrapped in markers the engine keeps; the translation is parsed back (<see cref="MarkerParser"/>).</summary>
    Markers,
    /// <summary>The sentence and each entity are translated separately; entities are searched in the sentence (<see cref="AlignProjection"/>).</summary>
    Align,
    /// <summary>
    /// The sentence is cut at its entity boundaries and each piece translated on its own (<see cref="SegmentProjection"/>):
    /// labels are certain, but the engine cannot reorder across an entity, so the text is the least fluent. A last
    /// resort after markers and align (<c>--projection markers+align+segments</c>).
    /// </summary>
    Segments,
}

/// <summary>A fix applied to a translation whose markers came back damaged, when the fix is unambiguous.</summary>
public enum ProjectionRepair
{
    /// <summary>Whitespace inside a marker (<c>[ Chemical |</c>, <c>&lt;/ Chemical &gt;</c>) was ignored.</summary>
    MarkerWhitespace,
    /// <summary>A type name came back in another case (<c>[CHEMICAL|</c>) and matched exactly one known type.</summary>
    TypeCase,
    /// <summary>A marker repeated with nothing between (<c>[Chemical| [Chemical|</c>, <c>] ]</c>) was read once.</summary>
    DuplicateMarker,
    /// <summary>The one entity of a sentence that ended with it lost its closing marker; it is closed before the final punctuation.</summary>
    MissingCloseAtEnd,
    /// <summary>
    /// Word-bound markers: the engine put words of its own between an entity's words (<c>mouse brain cells</c> →
    /// <c>celdas de cerebro del ratón</c>, only the nouns marked); the entity spans its first to its last marked word.
    /// </summary>
    WordsJoined,
    /// <summary>
    /// Word-bound markers: an entity came back unmarked but verbatim (a lone symbol such as <c>+</c>), and the source and
    /// the translation hold the same number of copies of its words, so its rank among them says which one it is.
    /// </summary>
    UnmarkedCopy,
    /// <summary>A fallback chain (<c>markers+align</c>): the first method lost the sentence, alignment projected it.</summary>
    AlignFallback,
    /// <summary>A fallback chain (<c>...+segments</c>): the earlier methods lost the sentence, it was translated piece by piece.</summary>
    SegmentsFallback,
}

/// <summary>Why a sentence (or, for align, an entity) was dropped rather than risk wrong labels.</summary>
public enum ProjectionDrop
{
    /// <summary>The engine returned nothing (or only whitespace).</summary>
    EmptyTranslation,
    /// <summary>Fewer entity markers came back than were sent.</summary>
    MissingMarker,
    /// <summary>More entity markers came back than were sent.</summary>
    ExtraMarker,
    /// <summary>A marker opened inside another one (word-bound: two entities' words interleave or share one word).</summary>
    NestedMarkers,
    /// <summary>A closing marker without an opening one, a marker left open, or an XML tag closing a different type.</summary>
    UnbalancedMarkers,
    /// <summary>A marker names a type the corpus does not have (e.g. the engine translated the type name).</summary>
    UnknownType,
    /// <summary>As many markers came back as were sent, but with other types.</summary>
    TypeMismatch,
    /// <summary>A marker came back around no word.</summary>
    EmptyEntity,
    /// <summary>Align: the translated entity does not occur in the translated sentence.</summary>
    EntityNotFound,
    /// <summary>Align: the translated entity occurs more often than expected, overlaps another, or identical texts have different types.</summary>
    EntityAmbiguous,
    /// <summary>Align: the entity was found, but another entity of its sentence was not, so the sentence was dropped.</summary>
    SentenceDropped,
}

/// <summary>
/// The outcome of projecting one sentence's labels onto its translation: the translated words with IOB2 labels, or
/// the reason it was dropped. <see cref="DroppedEntities"/> lists each source entity that did not make it, with why.
/// </summary>
/// <param name="Words">The translated words (WordTokenizer); empty when dropped.</param>
/// <param name="Labels">One IOB2 label per word; empty when dropped.</param>
/// <param name="Repairs">Fixes applied (marker projection), each kind once.</param>
/// <param name="Drop">Why the sentence was dropped; null when kept.</param>
/// <param name="Detail">A readable explanation of the drop, for the report's examples.</param>
/// <param name="DroppedEntities">Source entities lost, as (type, reason).</param>
public sealed record ProjectionResult(
    IReadOnlyList<string> Words, IReadOnlyList<string> Labels, IReadOnlyList<ProjectionRepair> Repairs,
    ProjectionDrop? Drop, string? Detail, IReadOnlyList<(string Type, ProjectionDrop Reason)> DroppedEntities)
{
    /// <summary>Whether the sentence is kept.</summary>
    public bool Kept => Drop is null;

    /// <summary>A kept sentence.</summary>
    public static ProjectionResult Ok(IReadOnlyList<string> words, IReadOnlyList<string> labels, IReadOnlyList<ProjectionRepair> repairs) =>
        new(words, labels, repairs, null, null, []);

    /// <summary>A dropped sentence; every source entity is lost with the same reason.</summary>
    public static ProjectionResult Dropped(ProjectionDrop reason, string detail, IReadOnlyList<string> sourceTypes,
        IReadOnlyList<ProjectionRepair>? repairs = null) =>
        new([], [], repairs ?? [], reason, detail, sourceTypes.Select(t => (t, reason)).ToList());
}
