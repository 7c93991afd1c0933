using BioNer.Data;

namespace BioNer.Tests.Data;

public class SchemesTests
{
    // Spans: X[0,2) X[2,3) (adjacent, same type), Y[4,5), X[5,8) (adjacent, different type).
    private const string Iob2 = "B-X I-X B-X O B-Y B-X I-X I-X";

    public static TheoryData<TaggingScheme, string> Encodings => new()
    {
        { TaggingScheme.IOB2, Iob2 },
        { TaggingScheme.IOB1, "I-X I-X B-X O I-Y I-X I-X I-X" },
        { TaggingScheme.IOE1, "I-X E-X I-X O I-Y I-X I-X I-X" },
        { TaggingScheme.IOE2, "I-X E-X E-X O E-Y I-X I-X E-X" },
        { TaggingScheme.IOBES, "B-X E-X S-X O S-Y B-X I-X E-X" },
        { TaggingScheme.BILOU, "B-X L-X U-X O U-Y B-X I-X L-X" },
    };

    private static string[] L(string s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [MemberData(nameof(Encodings))]
    public void FromIob2_EveryScheme_WritesTableSpelling(TaggingScheme scheme, string expected) =>
        Assert.Equal(L(expected), Schemes.FromIob2(L(Iob2), scheme));

    [Theory]
    [MemberData(nameof(Encodings))]
    public void ToIob2_EveryScheme_RoundTrips(TaggingScheme scheme, string encoded)
    {
        Assert.Equal(L(Iob2), Schemes.ToIob2(L(encoded), scheme));
        Assert.Equal(L(encoded), Schemes.FromIob2(Schemes.ToIob2(L(encoded), scheme), scheme));
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Validate_EveryScheme_OwnSpellingIsValid(TaggingScheme scheme, string encoded) =>
        Assert.Empty(Schemes.Validate(L(encoded), scheme));

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Detect_EveryScheme_FindsIt(TaggingScheme scheme, string encoded) =>
        Assert.Equal(scheme, Schemes.Detect([L(encoded), L("O O")]));

    [Theory]
    [InlineData("")]
    [InlineData("O O O")]
    [InlineData("B-X O B-Y")]
    public void Detect_Ambiguous_PrefersIob2(string labels) =>
        Assert.Equal(TaggingScheme.IOB2, Schemes.Detect([L(labels)]));

    [Theory]
    [InlineData(TaggingScheme.IOB2, "O I-X", 1, LabelIssueKind.Orphan)]
    [InlineData(TaggingScheme.IOB2, "I-X O", 0, LabelIssueKind.Orphan)]
    [InlineData(TaggingScheme.IOB2, "O B-X I-Y", 2, LabelIssueKind.TypeChange)]
    [InlineData(TaggingScheme.IOB2, "O B-", 1, LabelIssueKind.Malformed)]
    [InlineData(TaggingScheme.IOB2, "X-Foo", 0, LabelIssueKind.Malformed)]
    [InlineData(TaggingScheme.IOB2, "B-X E-X", 1, LabelIssueKind.Malformed)]
    [InlineData(TaggingScheme.IOB2, "o", 0, LabelIssueKind.Malformed)]
    [InlineData(TaggingScheme.IOBES, "O B-X O", 1, LabelIssueKind.Unterminated)]
    [InlineData(TaggingScheme.IOBES, "S-X E-X", 1, LabelIssueKind.Orphan)]
    [InlineData(TaggingScheme.BILOU, "B-X I-X", 1, LabelIssueKind.Unterminated)]
    [InlineData(TaggingScheme.IOE2, "I-X I-X O", 1, LabelIssueKind.Unterminated)]
    [InlineData(TaggingScheme.IOB1, "O B-X", 1, LabelIssueKind.NeedlessBoundary)]
    [InlineData(TaggingScheme.IOE1, "I-X E-X O", 1, LabelIssueKind.NeedlessBoundary)]
    public void Validate_InvalidSequence_ReportsKindAndIndex(TaggingScheme scheme, string labels, int index, LabelIssueKind kind)
    {
        var issue = Assert.Single(Schemes.Validate(L(labels), scheme));
        Assert.Equal(index, issue.Index);
        Assert.Equal(kind, issue.Kind);
    }

    [Fact]
    public void Validate_SpacesAroundLabels_AreTrimmed() =>
        Assert.Empty(Schemes.Validate([" B-Chemical ", "I-Chemical\t", "O "], TaggingScheme.IOB2));

    [Theory]
    [InlineData("B-Chemical", 'B', "Chemical")]
    [InlineData("I-Gene-or-protein", 'I', "Gene-or-protein")]
    [InlineData(" O ", 'O', "")]
    public void Parse_Label_SplitsAtFirstDash(string label, char prefix, string type) =>
        Assert.Equal((prefix, type), Schemes.Parse(label));

    [Theory]
    [InlineData("B-")]
    [InlineData("B_X")]
    [InlineData("BX")]
    [InlineData("b-X")]
    public void Parse_Malformed_ReturnsNull(string label) => Assert.Null(Schemes.Parse(label));

    [Fact]
    public void ToIob2_OrphanInside_StartsSpanAsConlleval() =>
        Assert.Equal(L("O B-X I-X B-Y"), Schemes.ToIob2(L("O I-X I-X I-Y"), TaggingScheme.IOB2));

    [Fact]
    public void ToIob2_PrefixNotInScheme_Throws()
    {
        var e = Assert.Throws<BioNerException>(() => Schemes.ToIob2(L("O E-X"), TaggingScheme.IOB2));
        Assert.Contains("word 1", e.Message);
    }

    [Fact]
    public void Spans_Iob2_ReturnsTypedRanges() =>
        Assert.Equal([("X", 0, 2), ("X", 2, 3), ("Y", 4, 5), ("X", 5, 8)], Schemes.Spans(L(Iob2)));
}
