using BioNer.Inference;

namespace BioNer.Tests.Inference;

/// <summary>
/// Aggregation against outputs hand-computed with HuggingFace's TokenClassificationPipeline rules
/// (aggregate / aggregate_words / group_entities, O filtered). Text "Microsoft Corp eats": Microsoft = Micro|soft.
/// </summary>
public class AggregationTests
{
    private const string Text = "Microsoft Corp eats";
    private static readonly string[] Labels = ["O", "B-X", "I-X", "B-Y", "I-Y"];

    private static readonly TokenScore[] Tokens =
    [
        new(0, 5, false, [0.1f, 0.6f, 0.1f, 0.1f, 0.1f]),   // Micro: B-X 0.6
        new(5, 9, true, [0.0f, 0.0f, 0.1f, 0.0f, 0.9f]),    // soft:  I-Y 0.9
        new(10, 14, false, [0.2f, 0.0f, 0.5f, 0.0f, 0.3f]), // Corp:  I-X 0.5
        new(15, 19, false, [0.8f, 0.1f, 0.0f, 0.1f, 0.0f]), // eats:  O   0.8
    ];

    public static TheoryData<string, string[]> Cases => new()
    {
        { "none", ["B-X 0 5 Micro 0.6", "I-Y 5 9 soft 0.9", "I-X 10 14 Corp 0.5"] },
        { "simple", ["X 0 5 Micro 0.6", "Y 5 9 soft 0.9", "X 10 14 Corp 0.5"] },
        { "first", ["X 0 14 Microsoft Corp 0.55"] },
        { "max", ["Y 0 9 Microsoft 0.9", "X 10 14 Corp 0.5"] },
        { "average", ["Y 0 9 Microsoft 0.5", "X 10 14 Corp 0.5"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_MicrosoftCorp_MatchesHuggingFace(string strategy, string[] expected)
    {
        var entities = Aggregation.Apply(Text, Tokens, Labels, AggregationStrategies.Parse(strategy));
        Assert.Equal(expected.Length, entities.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            var parts = expected[i].Split(' ');
            var e = entities[i];
            Assert.Equal(parts[0], e.Type);
            Assert.Equal(int.Parse(parts[1]), e.Start);
            Assert.Equal(int.Parse(parts[2]), e.End);
            Assert.Equal(string.Join(' ', parts[3..^1]), e.Text);
            Assert.Equal(double.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture), e.Score, 6);
        }
    }

    [Fact]
    public void Apply_ConsecutiveBegins_SplitIntoSeparateEntities()
    {
        // "a b c": B-X B-X I-X → HF: a | b c (a B- never joins the open group).
        TokenScore T(int s, int label) => new(s, s + 1, false, Enumerable.Range(0, 5).Select(i => i == label ? 0.8f : 0.05f).ToArray());
        var entities = Aggregation.Apply("a b c", [T(0, 1), T(2, 1), T(4, 2)], Labels, AggregationStrategy.First);
        Assert.Equal(["X 0-1 a", "X 2-5 b c"], entities.Select(e => $"{e.Type} {e.Start}-{e.End} {e.Text}"));
    }

    [Fact]
    public void Apply_LabelsWithoutPrefix_GroupAsContinuation()
    {
        // Labels like "Chemical" (no B-/I-) are treated as I-: adjacent ones merge; O separates.
        string[] labels = ["O", "Chemical"];
        TokenScore T(int s, int label) => new(s, s + 1, false, label == 1 ? [0.1f, 0.9f] : [0.7f, 0.3f]);
        var entities = Aggregation.Apply("a b c d", [T(0, 1), T(2, 1), T(4, 0), T(6, 1)], labels, AggregationStrategy.Simple);
        Assert.Equal(["Chemical 0-3", "Chemical 6-7"], entities.Select(e => $"{e.Type} {e.Start}-{e.End}"));
        Assert.Equal(0.9, entities[0].Score, 6);
    }

    [Fact]
    public void Apply_HyphenatedType_KeepsWholeType()
    {
        // HF would take split('-')[-1] = "N"; the tag after B-/I- is the type.
        string[] labels = ["O", "B-GENE-N", "I-GENE-N"];
        var entities = Aggregation.Apply("ab", [new TokenScore(0, 2, false, [0.1f, 0.8f, 0.1f])], labels, AggregationStrategy.First);
        Assert.Equal("GENE-N", Assert.Single(entities).Type);
    }

    [Fact]
    public void Apply_TiedProbabilities_TakesFirstLabelLikeNumpyArgmax()
    {
        var entities = Aggregation.Apply("ab", [new TokenScore(0, 2, false, [0.1f, 0.45f, 0.45f, 0f, 0f])], Labels, AggregationStrategy.None);
        Assert.Equal("B-X", Assert.Single(entities).Type);
    }

    [Theory]
    [InlineData("FIRST", AggregationStrategy.First)]
    [InlineData(" average ", AggregationStrategy.Average)]
    public void Parse_KnownNames_CaseInsensitive(string name, AggregationStrategy expected) =>
        Assert.Equal(expected, AggregationStrategies.Parse(name));

    [Fact]
    public void Parse_UnknownName_ThrowsNamingField()
    {
        var e = Assert.Throws<BioNerException>(() => AggregationStrategies.Parse("mean", "--aggregation"));
        Assert.Contains("--aggregation", e.Message);
    }
}
