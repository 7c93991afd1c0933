using BioNer.Data;

namespace BioNer.Translation;

/// <summary>One source entity for <see cref="AlignProjection"/>: its type and its translation on its own.</summary>
/// <param name="Type">The entity type.</param>
/// <param name="Translation">The entity text translated alone.</param>
public sealed record AlignedEntity(string Type, string Translation);

/// <summary>
/// Label projection without markers: the sentence is translated plainly and each entity on its own, and each
/// translated entity is searched, word by word, in the translated sentence: exactly, then ignoring case, then ignoring
/// case and accents (the first level that finds anything decides). Policy:
/// <list type="bullet">
/// <item>Entities whose translations are identical form one group; the group must be found exactly as many times as
/// it has members (non-overlapping, left to right) and its members must share one type, else all of them are
/// <see cref="ProjectionDrop.EntityAmbiguous"/>. Not found at any level: <see cref="ProjectionDrop.EntityNotFound"/>.</item>
/// <item>Found entities that overlap each other are ambiguous too.</item>
/// <item>Punctuation the engine put around a lone entity (<c>Aspirina.</c>) is ignored when searching.</item>
/// <item>The sentence is kept only when every entity was found; otherwise it is dropped (its found entities count as
/// <see cref="ProjectionDrop.SentenceDropped"/>), because keeping it would label a missed mention <c>O</c>.</item>
/// </list>
/// </summary>
public static class AlignProjection
{
    private enum Level { Exact, IgnoreCase, IgnoreAccents }

    /// <summary>Projects <paramref name="entities"/> (in source order) onto <paramref name="translatedSentence"/>.</summary>
    public static ProjectionResult Project(string translatedSentence, IReadOnlyList<AlignedEntity> entities)
    {
        var types = entities.Select(e => e.Type).ToList();
        var offsets = WordTokenizer.Tokenize(translatedSentence);
        if (offsets.Count == 0) return ProjectionResult.Dropped(ProjectionDrop.EmptyTranslation, "empty translation", types);
        var words = offsets.Select(o => translatedSentence[o.Start..o.End]).ToList();
        var found = new (int Start, int End)?[entities.Count];
        var reason = new ProjectionDrop?[entities.Count];
        foreach (var group in entities.Select((e, i) => (Words: TrimPunctuation(WordTokenizer.Words(e.Translation)), Index: i))
                     .GroupBy(x => string.Join('\u0001', x.Words)))
            FindGroup(words, group.First().Words, group.Select(g => g.Index).ToList(), entities, found, reason);
        MarkOverlaps(found, reason);
        return Result(words, entities, found, reason);
    }

    private static void FindGroup(List<string> words, IReadOnlyList<string> needle, List<int> members, IReadOnlyList<AlignedEntity> entities,
        (int, int)?[] found, ProjectionDrop?[] reason)
    {
        if (needle.Count == 0 || members.Select(i => entities[i].Type).Distinct().Count() > 1)
        {
            foreach (int i in members) reason[i] = needle.Count == 0 ? ProjectionDrop.EntityNotFound : ProjectionDrop.EntityAmbiguous;
            return;
        }
        foreach (var level in Enum.GetValues<Level>())
        {
            var hits = Occurrences(words, needle, level);
            if (hits.Count == 0) continue;
            for (int k = 0; k < members.Count; k++)
                if (hits.Count == members.Count) found[members[k]] = hits[k];
                else reason[members[k]] = ProjectionDrop.EntityAmbiguous;
            return;
        }
        foreach (int i in members) reason[i] = ProjectionDrop.EntityNotFound;
    }

    /// <summary>Non-overlapping occurrences of <paramref name="needle"/> in <paramref name="words"/>, left to right, as word ranges.</summary>
    private static List<(int Start, int End)> Occurrences(List<string> words, IReadOnlyList<string> needle, Level level)
    {
        var key = words.Select(w => Key(w, level)).ToList();
        var want = needle.Select(w => Key(w, level)).ToList();
        var hits = new List<(int, int)>();
        for (int i = 0; i + want.Count <= key.Count;)
        {
            bool match = true;
            for (int j = 0; j < want.Count && match; j++) match = key[i + j] == want[j];
            if (match) { hits.Add((i, i + want.Count)); i += want.Count; }
            else i++;
        }
        return hits;
    }

    private static string Key(string word, Level level) => level switch
    {
        Level.Exact => word,
        Level.IgnoreCase => word.ToUpperInvariant(),
        _ => RemoveAccents(word).ToUpperInvariant(),
    };

    /// <summary>
    /// The text with accents removed (<c>é</c> → <c>e</c>, <c>ñ</c> → <c>n</c>, <c>ά</c> → <c>α</c>), for the last search
    /// level; BERT's accent stripping, which works without ICU (see <see cref="Tokenization.AccentStripper"/>).
    /// </summary>
    public static string RemoveAccents(string text) => Tokenization.AccentStripper.Strip(text);

    private static IReadOnlyList<string> TrimPunctuation(IReadOnlyList<string> words)
    {
        static bool Punct(string w) => w.All(c => char.IsPunctuation(c) || char.IsSymbol(c));
        int s = 0, e = words.Count;
        while (s < e && Punct(words[s])) s++;
        while (e > s && Punct(words[e - 1])) e--;
        // An entity made only of punctuation is searched as it is.
        return s == e ? words : words.Skip(s).Take(e - s).ToList();
    }

    private static void MarkOverlaps((int Start, int End)?[] found, ProjectionDrop?[] reason)
    {
        for (int a = 0; a < found.Length; a++)
            for (int b = a + 1; b < found.Length; b++)
                if (found[a] is { } x && found[b] is { } y && x.Start < y.End && y.Start < x.End)
                    reason[a] = reason[b] = ProjectionDrop.EntityAmbiguous;
    }

    private static ProjectionResult Result(List<string> words, IReadOnlyList<AlignedEntity> entities, (int Start, int End)?[] found, ProjectionDrop?[] reason)
    {
        if (reason.Any(r => r is not null))
        {
            var lost = entities.Select((e, i) => (e.Type, reason[i] ?? ProjectionDrop.SentenceDropped)).ToList();
            var main = reason.Contains(ProjectionDrop.EntityAmbiguous) ? ProjectionDrop.EntityAmbiguous : ProjectionDrop.EntityNotFound;
            string detail = string.Join("; ", entities.Select((e, i) => reason[i] is { } r ? $"{e.Type} '{e.Translation}': {r}" : null).OfType<string>());
            return new([], [], [], main, detail, lost);
        }
        var spans = entities.Select((e, i) => new LabelledSpan(e.Type, found[i]!.Value.Start, found[i]!.Value.End)).OrderBy(s => s.Start).ToList();
        return ProjectionResult.Ok(words, Schemes.Encode(spans, words.Count), []);
    }
}
