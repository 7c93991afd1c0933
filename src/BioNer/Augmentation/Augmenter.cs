using BioNer.Data;

namespace BioNer.Augmentation;

/// <summary>
/// A training-data augmenter: turns a corpus into augmented copies whose labels stay consistent IOB2. One
/// implementation per method of Dai &amp; Adel (2020), so that the method is a CLI choice, not a code change.
/// </summary>
public interface IAugmenter
{
    /// <summary>The method's CLI name (<c>mention-replacement</c>, <c>lwtr</c>, <c>sis</c>, <c>synonym</c>).</summary>
    string Name { get; }

    /// <summary>Generates the augmented copies of <paramref name="corpus"/> (never the originals themselves).</summary>
    AugmentationResult Augment(Corpus corpus);
}

/// <summary>The augmented sentences and what was done to them.</summary>
/// <param name="Augmented">The augmented copies, copy 1 of every sentence first, then copy 2, ...</param>
/// <param name="Report">Per-type counts of the changes.</param>
public sealed record AugmentationResult(Corpus Augmented, AugmentationReport Report)
{
    /// <summary>The original corpus followed by the augmented copies: the reference model's training set layout.</summary>
    public Corpus ConcatenatedWith(Corpus original) =>
        new([.. original.Sentences, .. Augmented.Sentences], original.Source);
}

/// <summary>Builds an augmenter from its CLI name, so the CLI and scripts share one list of methods.</summary>
public static class Augmenters
{
    /// <summary>The method names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["mention-replacement", "lwtr", "sis", "synonym"];

    /// <summary>
    /// Creates the augmenter called <paramref name="method"/>; mention replacement and synonym replacement need a
    /// <paramref name="lexicon"/>. Throws a <see cref="BioNerException"/> naming <c>--method</c> for an unknown name.
    /// </summary>
    public static IAugmenter Create(string method, AugmentationOptions options, TermLexicon? lexicon = null) => method switch
    {
        "mention-replacement" => new MentionReplacement(NeedLexicon(lexicon, method), options),
        "lwtr" => new LabelwiseTokenReplacement(options),
        "sis" => new ShuffleWithinSegments(options),
        "synonym" => new SynonymReplacement(NeedLexicon(lexicon, method), options),
        _ => throw new BioNerException($"--method '{method}' is unknown; use one of {string.Join(", ", Methods)}"),
    };

    private static TermLexicon NeedLexicon(TermLexicon? lexicon, string method) =>
        lexicon ?? throw new BioNerException($"--method {method} needs term sources (--terms)");
}

/// <summary>
/// The loop every augmenter shares: copies × sentences with one seeded generator, so the output depends only on the
/// corpus, the options and the seed. A changed sentence loses its offsets (they no longer index the source text).
/// </summary>
internal static class AugmentLoop
{
    /// <summary>Changes one sentence; returns the new words and labels, or null when nothing was drawn.</summary>
    public delegate (string[] Words, string[] Labels)? SentenceChange(Sentence sentence, Random rng, AugmentationReportBuilder report);

    public static AugmentationResult Run(Corpus corpus, AugmentationOptions options, string method, string unit, SentenceChange change)
    {
        options.Validate();
        var report = new AugmentationReportBuilder(method, unit) { SentencesIn = corpus.Sentences.Count };
        var rng = new Random(options.Seed);
        var output = new List<Sentence>();
        for (int copy = 0; copy < options.Copies; copy++)
            foreach (var sentence in corpus.Sentences)
            {
                var changed = change(sentence, rng, report);
                bool differs = changed is { } c && !(c.Words.SequenceEqual(sentence.Words, StringComparer.Ordinal)
                    && c.Labels.SequenceEqual(sentence.Labels, StringComparer.Ordinal));
                if (differs)
                {
                    output.Add(sentence with { Words = changed!.Value.Words, Labels = changed.Value.Labels, Offsets = null });
                    report.SentencesChanged++;
                }
                else if (options.KeepUnchanged) output.Add(sentence);
            }
        report.SentencesOut = output.Count;
        return new AugmentationResult(new Corpus(output, $"{corpus.Source} ({method})"), report.Build());
    }

    /// <summary>
    /// The mention-level loop shared by mention replacement and synonym replacement: each mention is drawn with
    /// probability <see cref="AugmentationOptions.Ratio"/> (one draw per mention, replaceable or not, so the random
    /// sequence does not depend on the lexicon); <paramref name="choose"/> gives its new words (type, mention words) or
    /// null when there is no candidate.
    /// </summary>
    public static AugmentationResult ReplaceMentions(Corpus corpus, AugmentationOptions options, string method,
        Func<string, IReadOnlyList<string>, Random, IReadOnlyList<string>?> choose) =>
        Run(corpus, options, method, "mentions", (sentence, rng, report) =>
        {
            var replacements = new List<(Span, IReadOnlyList<string>)>();
            foreach (var m in MentionSpans.Mentions(sentence, corpus.Source))
            {
                report.Seen(m.Type!);
                if (rng.NextDouble() >= options.Ratio) continue;
                var words = choose(m.Type!, WordsOf(sentence, m), rng);
                if (words is null) { report.NoCandidate(m.Type!); continue; }
                report.Replaced(m.Type!);
                replacements.Add((m, words));
            }
            return replacements.Count == 0 ? null : Splice(sentence, replacements);
        });

    /// <summary>Replaces mention spans (ascending, non-overlapping) by new words labelled B-X I-X ...; all else unchanged.</summary>
    public static (string[] Words, string[] Labels) Splice(Sentence sentence, List<(Span Span, IReadOnlyList<string> Words)> replacements)
    {
        var words = new List<string>(sentence.Count);
        var labels = new List<string>(sentence.Count);
        int at = 0;
        foreach (var (span, newWords) in replacements)
        {
            words.AddRange(sentence.Words.Skip(at).Take(span.Start - at));
            labels.AddRange(sentence.Labels.Skip(at).Take(span.Start - at));
            words.AddRange(newWords);
            labels.AddRange(MentionSpans.Labels(span.Type!, newWords.Count));
            at = span.End;
        }
        words.AddRange(sentence.Words.Skip(at));
        labels.AddRange(sentence.Labels.Skip(at));
        return ([.. words], [.. labels]);
    }

    /// <summary>The words of <paramref name="span"/>.</summary>
    public static string[] WordsOf(Sentence sentence, Span span) => sentence.Words.Skip(span.Start).Take(span.Length).ToArray();

    /// <summary>True when two word sequences are equal ignoring case (the same term for replacement purposes).</summary>
    public static bool SameTerm(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count != b.Count) return false;
        for (int i = 0; i < a.Count; i++)
            if (!string.Equals(a[i], b[i], StringComparison.OrdinalIgnoreCase)) return false;
        return true;
    }
}
