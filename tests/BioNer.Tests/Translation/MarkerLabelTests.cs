using BioNer.Translation;

namespace BioNer.Tests.Translation;

/// <summary>Character spans of a parsed translation → word labels: nested spans are written in order, inner last.</summary>
public class MarkerLabelTests
{
    [Fact]
    public void Label_NestedSpan_InnerSpanRelabelsItsWords()
    {
        var result = MarkerParser.Label("a b c d", [("X", 0, 7), ("Y", 2, 3)], [], ["X", "Y"]);
        Assert.Equal(["a", "b", "c", "d"], result.Words);
        Assert.Equal(["B-X", "B-Y", "I-X", "I-X"], result.Labels);
    }

    [Fact]
    public void Label_SpanCutsWord_WordSplitAtTheBoundary()
    {
        var result = MarkerParser.Label("abc d", [("X", 1, 3)], [], ["X"]);
        Assert.Equal(["a", "bc", "d"], result.Words);
        Assert.Equal(["O", "B-X", "O"], result.Labels);
    }

    [Fact]
    public void Label_SpanHoldsNoWord_Dropped()
    {
        var result = MarkerParser.Label("a  b", [("X", 1, 3)], [], ["X"]);
        Assert.Equal(ProjectionDrop.EmptyEntity, result.Drop);
    }
}
