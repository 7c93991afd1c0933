using BioNer.Data;

namespace BioNer.Tests.Data;

public class WordTokenizerTests
{
    [Theory]
    [InlineData("IL-2-induced", "IL|-|2|-|induced")]
    [InlineData("p53.", "p53|.")]
    [InlineData("  a \t b\n", "a|b")]
    [InlineData("Ca2+ (10 mM)", "Ca2|+|(|10|mM|)")]
    [InlineData("α-synuclein", "α|-|synuclein")]
    [InlineData("naïve T-cells", "naïve|T|-|cells")]
    [InlineData("nai\u0308ve", "nai\u0308ve")]
    [InlineData("a😀b", "a|😀|b")]
    [InlineData("👨\u200D👩\u200D👧 ok", "👨\u200D👩\u200D👧|ok")]
    [InlineData("👍🏽!", "👍🏽|!")]
    [InlineData("蛋白质abc", "蛋|白|质|abc")]
    [InlineData("x\u200By", "x|y")]
    [InlineData("don't", "don|'|t")]
    [InlineData("", "")]
    public void Words_Text_SplitsAsDocumented(string text, string expected) =>
        Assert.Equal(expected.Split('|', StringSplitOptions.RemoveEmptyEntries), WordTokenizer.Words(text));

    [Fact]
    public void Tokenize_SurrogatePairs_OffsetsAreUtf16Indices()
    {
        var t = WordTokenizer.Tokenize("🧬 IL-2");
        Assert.Equal([(0, 2), (3, 5), (5, 6), (6, 7)], t);
    }

    [Fact]
    public void Tokenize_Range_OffsetsIntoWholeText() =>
        Assert.Equal([(4, 7)], WordTokenizer.Tokenize("abc def ghi", 4, 7));

    [Fact]
    public void SplitAt_BoundariesInsideWords_CutsAndCounts()
    {
        var tokens = WordTokenizer.Tokenize("TNFalpha binds");
        var split = WordTokenizer.SplitAt(tokens, [0, 3, 8, 11], out int count);
        Assert.Equal([(0, 3), (3, 8), (9, 11), (11, 14)], split);
        Assert.Equal(2, count);
    }
}

public class SentenceSplitterTests
{
    private static string[] Split(string text, bool newline = true) =>
        SentenceSplitter.Split(text, newline).Select(s => text[s.Start..s.End]).ToArray();

    [Theory]
    [InlineData("This is one. This is two.", "This is one.|This is two.")]
    [InlineData("See Fig. 2 for details. Done.", "See Fig. 2 for details.|Done.")]
    [InlineData("Drugs, e.g. Aspirin, help.", "Drugs, e.g. Aspirin, help.")]
    [InlineData("As Smith et al. Showed, it works.", "As Smith et al. Showed, it works.")]
    [InlineData("J. Smith came. Then he left.", "J. Smith came.|Then he left.")]
    [InlineData("The dose was 5.5 mg. 10 mice died.", "The dose was 5.5 mg.|10 mice died.")]
    [InlineData("It ends. and goes on.", "It ends. and goes on.")]
    [InlineData("Was it? Yes! Sure.", "Was it?|Yes!|Sure.")]
    [InlineData("He said \"stop.\" Then (Fig. 1) ended.", "He said \"stop.\"|Then (Fig. 1) ended.")]
    [InlineData("Title line\nBody text here.", "Title line|Body text here.")]
    [InlineData("  padded.   ", "padded.")]
    public void Split_Text_CutsAsDocumented(string text, string expected) =>
        Assert.Equal(expected.Split('|'), Split(text));

    [Fact]
    public void Split_HardWrappedWithoutNewlineBreaks_KeepsLinesTogetherButBlankLineSplits() =>
        Assert.Equal(["a wrapped\nline.", "Next para"], Split("a wrapped\nline.\n\nNext para", newline: false));
}
