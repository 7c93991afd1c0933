using BioNer.Translation;

namespace BioNer.Tests.Translation;

public class ApertiumStreamTests
{
    [Theory]
    [InlineData("Na+/K+ ATPase", @"Na+\/K+ ATPase")]
    [InlineData("[3H]thymidine at 37 °C ± 2", @"\[3H\]thymidine at 37 °C ± 2")]
    [InlineData("a\\b ^ $ @ < > { } * #", @"a\\b \^ \$ \@ \< \> \{ \} \* \#")]
    [InlineData("~50 %", "[~]50 %")]
    [InlineData("line\nbreak\0nul", "line break nul")]
    // BioNer's own word-bound markers stay blanks; other double brackets are text
    [InlineData("of [[t:0]]mouse brain[[/]] [[81]]", @"of [[t:0]]mouse brain[[/]] \[\[81\]\]")]
    public void Escape_SpecialCharacters_AsApertiumReadsThem(string text, string stream) =>
        Assert.Equal(stream, ApertiumStream.Escape(text));

    [Theory]
    [InlineData(@"Na+\/K+ \[3H\] \^ \$ \@ \< \> \{ \} \\", @"Na+/K+ [3H] ^ $ @ < > { } \")]
    [InlineData("[~]50 %", "~50 %")]
    [InlineData("de [[t:0]]ratón[[/]] [[t:0; t:1]]gen[[/]]", "de [[t:0]]ratón[[/]] [[t:0; t:1]]gen[[/]]")]
    public void Unescape_ApertiumOutput_PlainText(string stream, string text) =>
        Assert.Equal(text, ApertiumStream.Unescape(stream));
}
