using BioNer.Data;

namespace BioNer.Augmentation;

/// <summary>
/// Mention replacement (MR), the augmentation the reference model was trained with (Dai &amp; Adel 2020): each entity
/// mention is, with probability <see cref="AugmentationOptions.Ratio"/> (a binomial draw per mention), replaced by a
/// different term of the same type from a <see cref="TermLexicon"/>; the new words are labelled B-X I-X ... and every
/// other label is left as it was. Teaches the model that context, not a memorised name list, marks an entity.
/// </summary>
public sealed class MentionReplacement : IAugmenter
{
    private const int QuickTries = 8;
    private readonly TermLexicon _lexicon;
    private readonly AugmentationOptions _options;

    /// <summary>Creates the augmenter; <paramref name="lexicon"/> supplies replacement terms per entity type.</summary>
    public MentionReplacement(TermLexicon lexicon, AugmentationOptions? options = null)
    {
        _lexicon = lexicon;
        _options = options ?? new AugmentationOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    public string Name => "mention-replacement";

    /// <inheritdoc/>
    public AugmentationResult Augment(Corpus corpus) =>
        AugmentLoop.ReplaceMentions(corpus, _options, Name, (type, mention, rng) => Pick(_lexicon.Terms(type), mention, rng));

    /// <summary>
    /// A uniformly drawn term that is not the mention itself (ignoring case); null when the type has no other term.
    /// A few rejection tries first, then an exact draw among the other terms, so big lexicons stay cheap.
    /// </summary>
    internal static IReadOnlyList<string>? Pick(IReadOnlyList<IReadOnlyList<string>> terms, IReadOnlyList<string> mention, Random rng)
    {
        if (terms.Count == 0) return null;
        for (int i = 0; i < QuickTries; i++)
        {
            var term = terms[rng.Next(terms.Count)];
            if (!AugmentLoop.SameTerm(term, mention)) return term;
        }
        var others = terms.Where(t => !AugmentLoop.SameTerm(t, mention)).ToList();
        return others.Count == 0 ? null : others[rng.Next(others.Count)];
    }
}
