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
        AugmentLoop.Run(corpus, _options, Name, "mentions", (sentence, rng, report) =>
        {
            var replacements = new List<(Span, IReadOnlyList<string>)>();
            foreach (var m in MentionSpans.Mentions(sentence, corpus.Source))
            {
                report.Seen(m.Type!);
                if (rng.NextDouble() >= _options.Ratio) continue;
                var synonyms = _lexicon.Synonyms(m.Type!, AugmentLoop.WordsOf(sentence, m));
                if (synonyms.Count == 0) { report.NoCandidate(m.Type!); continue; }
                report.Replaced(m.Type!);
                replacements.Add((m, synonyms[rng.Next(synonyms.Count)]));
            }
            return replacements.Count == 0 ? null : AugmentLoop.Splice(sentence, replacements);
        });
}
