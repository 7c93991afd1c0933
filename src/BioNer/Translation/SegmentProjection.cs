using BioNer.Data;

namespace BioNer.Translation;

/// <summary>One piece of a sentence cut at its entity boundaries: an entity (its type) or the text between entities (null).</summary>
/// <param name="Text">The piece's text, with the sentence's spacing.</param>
/// <param name="Type">The entity type, or null for text between entities.</param>
public sealed record SegmentPiece(string Text, string? Type);

/// <summary>
/// Label projection by translating a sentence piece by piece: the text before, each entity and the text between are
/// sent on their own, and the translations are put back together in source order, so every entity's words are
/// known. It never loses an entity the engine translates to something, but the engine sees no context across an
/// entity and cannot move words over it, so it is meant as the last method of a chain
/// (<c>markers+align+segments</c>), for the sentences whose entities the engine reorders into each other
/// (<c>leptin receptor gene</c> → <c>leptin gen de receptor</c>).
/// </summary>
public static class SegmentProjection
{
    /// <summary>The pieces of <paramref name="sentence"/>, in order.</summary>
    public static IReadOnlyList<SegmentPiece> Pieces(Sentence sentence)
    {
        var pieces = new List<SegmentPiece>();
        int at = 0;
        foreach (var (type, start, end) in Schemes.Spans(sentence.Labels))
        {
            if (start > at) pieces.Add(new(Markers.Join(sentence, at, start), null));
            pieces.Add(new(Markers.Join(sentence, start, end), type));
            at = end;
        }
        if (at < sentence.Count) pieces.Add(new(Markers.Join(sentence, at, sentence.Count), null));
        return pieces;
    }

    /// <summary>
    /// Joins the <paramref name="translations"/> of <paramref name="pieces"/> into labelled words. A piece that began
    /// in lower case but came back capitalised (engines capitalise what looks like the start of a sentence) is put
    /// back in lower case (unless it is an acronym); an entity that came back empty drops the sentence.
    /// </summary>
    public static ProjectionResult Project(IReadOnlyList<SegmentPiece> pieces, IReadOnlyList<string> translations)
    {
        var types = pieces.Where(p => p.Type is not null).Select(p => p.Type!).ToList();
        var words = new List<string>();
        var spans = new List<LabelledSpan>();
        for (int i = 0; i < pieces.Count; i++)
        {
            var piece = WordTokenizer.Words(Recase(pieces[i].Text, translations[i]));
            if (pieces[i].Type is { } type)
            {
                if (piece.Count == 0) return ProjectionResult.Dropped(ProjectionDrop.EmptyEntity, $"the {type} entity '{pieces[i].Text}' came back empty", types);
                spans.Add(new(type, words.Count, words.Count + piece.Count));
            }
            words.AddRange(piece);
        }
        return words.Count == 0
            ? ProjectionResult.Dropped(ProjectionDrop.EmptyTranslation, "empty translation", types)
            : ProjectionResult.Ok(words, Schemes.Encode(spans, words.Count), []);
    }

    private static string Recase(string source, string translation)
    {
        string t = translation.Trim();
        // "Mutación" for "mutation" is put back in lower case; "AAS" or "IL-2" (an acronym) is not.
        if (t.Length == 0 || source.Trim().Length == 0 || !char.IsLower(source.TrimStart()[0]) || !char.IsUpper(t[0])
            || (t.Length > 1 && !char.IsLower(t[1]))) return t;
        return char.ToLowerInvariant(t[0]) + t[1..];
    }
}
