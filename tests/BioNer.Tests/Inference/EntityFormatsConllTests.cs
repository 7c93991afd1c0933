using BioNer.Inference;

namespace BioNer.Tests.Inference;

/// <summary>
/// CoNLL and BRAT output of predictions, pinned where <see cref="EntityFormats"/> leans on the corpus writers' layout:
/// empty texts, sentence breaks, entities that do not start on a word, raw labels as types, fragments across lines.
/// </summary>
public class EntityFormatsConllTests
{
    public static TheoryData<string, Entity[], string> ConllCases => new()
    {
        { "", [], "-DOCSTART-\tO\n\n\n" },
        { "  \n ", [], "-DOCSTART-\tO\n\n\n" },
        { "xCOX binds", [new("Protein", 1, 10, "COX binds", 0.5)], "-DOCSTART-\tO\n\nxCOX\tO\nbinds\tI-Protein\n\n" },
        {
            "Aspirin works. IL-2 binds.", [new("Chemical", 0, 7, "Aspirin", 0.9), new("B-Protein", 15, 19, "IL-2", 0.8)],
            "-DOCSTART-\tO\n\nAspirin\tB-Chemical\nworks\tO\n.\tO\n\nIL\tB-Protein\n-\tI-Protein\n2\tI-Protein\nbinds\tO\n.\tO\n\n"
        },
        { "a b", [new("X", 0, 1, "a", 0.5), new("X", 2, 3, "b", 0.5)], "-DOCSTART-\tO\n\na\tB-X\nb\tB-X\n\n" },
    };

    [Theory]
    [MemberData(nameof(ConllCases))]
    public void Conll_Cases_WordsLabelledAsPredicted(string text, Entity[] entities, string expected) =>
        Assert.Equal(expected, EntityFormats.Conll(new PredictedDocument("d", text, entities)));

    [Fact]
    public void Brat_ThreeLines_OneFragmentPerLine()
    {
        const string text = "a\nbc\r\nd e";
        var doc = new PredictedDocument("d", text, [new("I-X", 0, 9, text, 0.5), new("Y", 8, 9, "e", 0.5)]);
        Assert.Equal("T1\tX 0 1;2 4;6 9\ta bc d e\nT2\tY 8 9\te\n", EntityFormats.Brat(doc));
    }
}
