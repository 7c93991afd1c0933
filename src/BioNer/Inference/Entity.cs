namespace BioNer.Inference;

/// <summary>
/// One recognised mention. Why offsets into the ORIGINAL string: callers highlight, link and store mentions against the
/// text they sent, so <c>Text == text[Start..End]</c> always holds (CRLF, tabs, emoji and other UTF-16 surrogate pairs
/// included; offsets are UTF-16 code-unit indices, as .NET and JavaScript strings use).
/// </summary>
/// <param name="Type">Entity type (<c>Chemical</c>); with <see cref="AggregationStrategy.None"/> the raw label (<c>B-Chemical</c>).</param>
/// <param name="Start">Inclusive start offset in the input text.</param>
/// <param name="End">Exclusive end offset in the input text.</param>
/// <param name="Text">The covered text, <c>text[Start..End]</c>.</param>
/// <param name="Score">Model confidence in [0, 1] (mean of the member tokens' or words' scores, as HuggingFace).</param>
public sealed record Entity(string Type, int Start, int End, string Text, double Score);

/// <summary>
/// How sub-token predictions become entities; the same five strategies and semantics as HuggingFace
/// <c>pipeline("token-classification", aggregation_strategy=...)</c>, so results can be compared one to one.
/// </summary>
public enum AggregationStrategy
{
    /// <summary>Every sub-token with a non-O label, labelled with its raw tag (<c>B-X</c>/<c>I-X</c>); no grouping.</summary>
    None,
    /// <summary>Sub-token argmax labels grouped: adjacent tokens of one type merge unless the next one is <c>B-</c>.</summary>
    Simple,
    /// <summary>Word label = argmax of the word's first sub-token (matches training, where only it carries the label).</summary>
    First,
    /// <summary>Word label = argmax of the word's sub-token probabilities averaged.</summary>
    Average,
    /// <summary>Word label = argmax of the sub-token whose best probability is the highest in the word.</summary>
    Max,
}

/// <summary>Parsing of <see cref="AggregationStrategy"/> names as users type them (CLI flags, JSON requests).</summary>
public static class AggregationStrategies
{
    /// <summary>The accepted names, lower case, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["none", "simple", "first", "average", "max"];

    /// <summary>Parses a name case-insensitively; an unknown name is a <see cref="BioNerException"/> naming <paramref name="field"/>.</summary>
    public static AggregationStrategy Parse(string name, string field = "aggregation") =>
        name.Trim().ToLowerInvariant() switch
        {
            "none" => AggregationStrategy.None,
            "simple" => AggregationStrategy.Simple,
            "first" => AggregationStrategy.First,
            "average" => AggregationStrategy.Average,
            "max" => AggregationStrategy.Max,
            _ => throw new BioNerException($"{field}: unknown aggregation '{name}' (expected one of {string.Join(", ", Names)})"),
        };
}
