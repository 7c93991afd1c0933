using BioNer.Data;

namespace BioNer.Augmentation;

/// <summary>
/// Shuffle within segments (SiS, Dai &amp; Adel 2020): the sentence is cut into segments of one label type (each mention,
/// each maximal run of O words); each segment is, with probability <see cref="AugmentationOptions.Ratio"/>, shuffled in
/// place. Labels stay where they are, so mention boundaries and the label sequence are unchanged; words never leave
/// their segment.
/// </summary>
public sealed class ShuffleWithinSegments : IAugmenter
{
    private readonly AugmentationOptions _options;

    /// <summary>Creates the augmenter.</summary>
    public ShuffleWithinSegments(AugmentationOptions? options = null)
    {
        _options = options ?? new AugmentationOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    public string Name => "sis";

    /// <inheritdoc/>
    public AugmentationResult Augment(Corpus corpus) =>
        AugmentLoop.Run(corpus, _options, Name, "segments", (sentence, rng, report) =>
        {
            string[]? words = null;
            foreach (var seg in MentionSpans.Segments(sentence, corpus.Source))
            {
                string type = seg.Type ?? "O";
                report.Seen(type);
                if (rng.NextDouble() >= _options.Ratio) continue;
                if (seg.Length < 2) { report.NoCandidate(type); continue; }
                words ??= [.. sentence.Words];
                rng.Shuffle(words.AsSpan(seg.Start, seg.Length));
                if (!words.AsSpan(seg.Start, seg.Length).SequenceEqual(AugmentLoop.WordsOf(sentence, seg))) report.Replaced(type);
            }
            return words is null ? null : (words, [.. sentence.Labels]);
        });
}
