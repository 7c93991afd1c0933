using BioNer.Data;

namespace BioNer.Augmentation;

/// <summary>
/// Synonym replacement (SR) at mention level: a mention whose text is a name or synonym of an ontology concept (matched
/// case-insensitively within its type) is, with probability <see cref="AugmentationOptions.Ratio"/>, replaced by another
/// name of the same concept (its OBO EXACT synonyms by default) and relabelled B-X I-X .... Unlike mention replacement
/// the meaning stays the same, so the sentence stays true.
/// </summary>
public sealed class SynonymReplacement : IAugmenter
{
    private readonly TermLexicon _lexicon;
    private readonly AugmentationOptions _options;

    /// <summary>Creates the augmenter; <paramref name="lexicon"/> must hold concept ids (OBO sources do).</summary>
    public SynonymReplacement(TermLexicon lexicon, AugmentationOptions? options = null)
    {
        _lexicon = lexicon;
        _options = options ?? new AugmentationOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    public string Name => "synonym";

    /// <inheritdoc/>
    public AugmentationResult Augment(Corpus corpus) =>
        AugmentLoop.ReplaceMentions(corpus, _options, Name, (type, mention, rng) =>
        {
            var synonyms = _lexicon.Synonyms(type, mention);
            return synonyms.Count == 0 ? null : synonyms[rng.Next(synonyms.Count)];
        });
}
