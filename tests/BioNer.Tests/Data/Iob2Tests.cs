using BioNer.Data;
using BioNer.Evaluation;

namespace BioNer.Tests.Data;

/// <summary>
/// The one spelling of IOB2 labels (<see cref="Iob2"/>), the span type (<see cref="LabelledSpan"/>), and checks that
/// the scheme table's columns and the two readers of the conlleval rules agree with each other.
/// </summary>
public class Iob2Tests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void BeginInsideSpan_AgreeWithTheTablesIob2Row(int length)
    {
        var encoded = Schemes.Encode([new LabelledSpan("X", 0, length)], length);
        Assert.Equal(encoded, Iob2.Span("X", length));
        Assert.Equal(Iob2.Begin("X"), encoded[0]);
        Assert.All(encoded.Skip(1), l => Assert.Equal(Iob2.Inside("X"), l));
    }

    [Theory]
    [InlineData("O", 'O', "")]
    [InlineData("B-X", 'B', "X")]
    [InlineData("I-GENE-N", 'I', "GENE-N")]
    [InlineData("B-", 'B', "")]
    public void Parse_Iob2Label_PrefixAndType(string label, char prefix, string type) =>
        Assert.Equal((prefix, type), Iob2.Parse(label));

    [Theory]
    [InlineData("E-X")]
    [InlineData("S-X")]
    [InlineData(" B-X")]
    [InlineData("b-X")]
    [InlineData("B")]
    [InlineData("BX")]
    [InlineData("")]
    [InlineData("o")]
    public void Parse_NotIob2_Null(string label) => Assert.Null(Iob2.Parse(label));

    [Theory]
    [InlineData("B-X", "I-X")]
    [InlineData("B-", "I-")]
    [InlineData("I-X", null)]
    [InlineData("O", null)]
    [InlineData("S-X", null)]
    public void InsideOf_BeginLabel_ContinuationLabel(string label, string? expected) =>
        Assert.Equal(expected, Iob2.InsideOf(label));

    [Theory]
    [InlineData(0, 5, "0-1")]   // "ab c" → "ab" only: "c" ends at 6
    [InlineData(0, 6, "0-2")]
    [InlineData(1, 6, "1-2")]   // "ab" starts before the span
    [InlineData(3, 5, null)]    // inside "c", no whole word
    [InlineData(7, 9, "2-3")]
    public void WordsWithin_CharacterSpan_WordsWhollyInside(int start, int end, string? expected)
    {
        (int, int)[] words = [(0, 2), (5, 6), (7, 9)]; // "ab   c d."-like offsets
        var span = new LabelledSpan("X", start, end).WordsWithin(words);
        Assert.Equal(expected, span is { } s ? $"{s.Start}-{s.End}" : null);
        if (span is { } w) Assert.Equal("X", w.Type);
    }

    [Fact]
    public void Encode_OverlappingSpans_LaterSpanWins()
    {
        Assert.Equal(["B-X", "B-Y", "I-Y", "I-X", "O"],
            Schemes.Encode([new LabelledSpan("X", 0, 4), new LabelledSpan("Y", 1, 3)], 5));
    }

    public static TheoryData<TaggingScheme> EveryScheme => new(Enum.GetValues<TaggingScheme>());

    [Theory]
    [MemberData(nameof(EveryScheme))]
    public void SchemeTable_Row_ColumnsUseTheSamePrefixes(TaggingScheme scheme)
    {
        var row = SchemeTable.For(scheme);
        var allowed = row.AllowedPrefixes.ToHashSet();
        Assert.Equal(allowed, row.Rules.Keys.Append('O').ToHashSet());
        var spell = row.Spell;
        char?[] letters = [spell.Single, spell.First, spell.Middle, spell.Last, spell.AdjacentFirst, spell.AdjacentLast];
        Assert.All(letters.OfType<char>(), c => Assert.Contains(c, allowed));
        Assert.All(row.DetectedFrom, set => Assert.Subset(allowed, set.ToHashSet()));
    }

    [Fact]
    public void Spans_RandomConllSequences_EqualEvaluationChunker()
    {
        string[] vocabulary = ["O", "B-X", "I-X", "E-X", "S-X", "B-Y", "I-Y", "E-Y", "S-Y"];
        var random = new Random(17);
        for (int n = 0; n < 2000; n++)
        {
            var labels = Enumerable.Range(0, random.Next(13)).Select(_ => vocabulary[random.Next(vocabulary.Length)]).ToList();
            var expected = SeqevalMetrics.GetEntities(labels).Select(c => new LabelledSpan(c.Type, c.Start, c.End + 1));
            Assert.Equal(expected, Schemes.Spans(labels));
        }
    }

    [Fact]
    public void InsideIds_LabelSet_MapsBeginToItsInsideAndEverythingElseToItself()
    {
        // B-Gene has no I-Gene here: it stays itself, as run_ner.py's b_to_i_label does.
        Assert.Equal([0, 2, 2, 3, 3, 5], Iob2.InsideIds(["O", "B-Chemical", "I-Chemical", "I-Protein", "B-Protein", "B-Gene"]));
    }
}
