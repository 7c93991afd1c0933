using BioNer.Literature;

namespace BioNer.Tests.Literature;

public class OffsetsTests
{
    // "β" is 1 code point, 1 UTF-16 unit, 2 bytes; "𝛼" is 1 code point, 2 UTF-16 units, 4 bytes.
    [Theory]
    [InlineData("abc", OffsetUnit.CodePoints, 3)]
    [InlineData("β-𝛼", OffsetUnit.CodePoints, 3)]
    [InlineData("β-𝛼", OffsetUnit.Utf16, 4)]
    [InlineData("β-𝛼", OffsetUnit.Bytes, 7)]
    public void Length_CountsInTheUnit(string text, OffsetUnit unit, int expected) => Assert.Equal(expected, Offsets.Length(text, unit));

    [Theory]
    [InlineData(OffsetUnit.CodePoints, 2, 2)]
    [InlineData(OffsetUnit.CodePoints, 3, 4)]
    [InlineData(OffsetUnit.Bytes, 2, 1)]
    [InlineData(OffsetUnit.Bytes, 3, 2)]
    [InlineData(OffsetUnit.Bytes, 1, -1)]      // inside the two bytes of β
    [InlineData(OffsetUnit.Bytes, 7, 4)]
    [InlineData(OffsetUnit.Utf16, 5, -1)]
    public void ToUtf16_InverseOfLength(OffsetUnit unit, int units, int expected) => Assert.Equal(expected, Offsets.ToUtf16("β-𝛼", units, unit));

    [Fact]
    public void ToUtf16_RoundTripsEveryBoundary()
    {
        string text = "Na+/K+ at 37 °C, TGF-β1 in 𝛼-cells 🧬.";
        foreach (var unit in Enum.GetValues<OffsetUnit>())
            for (int i = 0; i <= text.Length; i++)
            {
                if (i > 0 && i < text.Length && char.IsLowSurrogate(text[i])) continue;
                Assert.Equal(i, Offsets.ToUtf16(text, Offsets.Length(text.AsSpan(0, i), unit), unit));
            }
    }
}
