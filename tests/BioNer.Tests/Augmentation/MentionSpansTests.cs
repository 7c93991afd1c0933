using BioNer.Augmentation;
using BioNer.Data;

namespace BioNer.Tests.Augmentation;

public class MentionSpansTests
{
    private static Sentence S(string labels)
    {
        var l = labels.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new Sentence(l.Select((_, i) => $"w{i}").ToList(), l) { SourceLine = 7 };
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("O O", "0-2:")]
    [InlineData("O B-X I-X I-Y I-Y O O B-X B-X", "0-1: 1-3:X 3-5:Y 5-7: 7-8:X 8-9:X")]
    [InlineData("I-X I-X B-X", "0-2:X 2-3:X")]
    [InlineData("B-X I-Y O I-X", "0-1:X 1-2:Y 2-3: 3-4:X")]
    [InlineData("B-GENE-N I-GENE-N", "0-2:GENE-N")]
    public void Segments_Iob2_MentionsAndOutsideRuns(string labels, string expected) =>
        Assert.Equal(expected, string.Join(' ', MentionSpans.Segments(S(labels)).Select(s => $"{s.Start}-{s.End}:{s.Type}")));

    [Theory]
    [InlineData("O E-X")]
    [InlineData("B- O")]
    [InlineData("B-X o")]
    [InlineData("S-X")]
    [InlineData("X")]
    public void Segments_NotIob2_ThrowsNamingLabelAndLine(string labels)
    {
        var e = Assert.Throws<BioNerException>(() => MentionSpans.Segments(S(labels), "train.conll"));
        Assert.Contains("is not IOB2 (O, B-X, I-X)", e.Message);
        Assert.Contains("train.conll", e.Message);
        Assert.Contains("7", e.Message);
    }

    [Theory]
    [InlineData(0, "")]
    [InlineData(1, "B-X")]
    [InlineData(3, "B-X I-X I-X")]
    public void Labels_OfLength_BeginThenInside(int length, string expected) =>
        Assert.Equal(expected, string.Join(' ', MentionSpans.Labels("X", length)));
}
