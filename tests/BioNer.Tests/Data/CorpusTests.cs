using BioNer.Data;

namespace BioNer.Tests.Data;

public class CorpusTests
{
    [Fact]
    public void EntityTypes_LabelsOfAnyPrefix_TypesSortedOrdinally()
    {
        var corpus = new Corpus([
            new Sentence(["a", "b", "c"], ["B-X", "I-X", "O"]),
            new Sentence(["d", "e", "f", "g"], ["E-Y", "S-Z", "B-A-B", "B-x"]),
        ]);
        Assert.Equal(["A-B", "X", "Y", "Z", "x"], corpus.EntityTypes());
    }
}
