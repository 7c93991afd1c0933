using BioNer.Inference;

namespace BioNer.Tests.Inference;

/// <summary>HuggingFace's <c>get_tag</c>: B-X → (B, X), I-X → (I, X), any other label → (I, label), unchanged.</summary>
public class GetTagTests
{
    [Theory]
    [InlineData("B-X", 'B', "X")]
    [InlineData("I-X", 'I', "X")]
    [InlineData("B-GENE-N", 'B', "GENE-N")]
    [InlineData("B-", 'B', "")]
    [InlineData("I-", 'I', "")]
    [InlineData("O", 'I', "O")]
    [InlineData("E-X", 'I', "E-X")]
    [InlineData("S-X", 'I', "S-X")]
    [InlineData("b-x", 'I', "b-x")]
    [InlineData(" B-X", 'I', " B-X")]
    [InlineData("B", 'I', "B")]
    [InlineData("B_X", 'I', "B_X")]
    [InlineData("LABEL_0", 'I', "LABEL_0")]
    public void GetTag_Label_SplitsAsHuggingFace(string label, char bi, string tag) =>
        Assert.Equal((bi, tag), Aggregation.GetTag(label));
}
