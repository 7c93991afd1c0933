using BioNer.Data;

namespace BioNer.Tests.Craft;

/// <summary>Crichton et al.'s CRAFT-IOB files (MTL-Bioinformatics-2016, data/CRAFT-IOB/{train,devel,test}.tsv) are
/// word TAB label, IOB2, blank line between sentences, no -DOCSTART-; labels CHEBI, CL, GGP, GO, SO, Taxon.</summary>
public sealed class CraftIobFormatTests
{
    // Synthetic lines in the exact layout of the files (not copied from them).
    private const string Sample =
        "Pax6\tB-GGP\nbinds\tO\nglucose\tB-CHEBI\nin\tO\nmouse\tB-Taxon\nneural\tB-CL\ncells\tI-CL\n.\tO\n\n" +
        "the\tO\nnuclear\tB-GO\nenvelope\tI-GO\nand\tO\nan\tO\nexon\tB-SO\n\nAbstract\tO\n\n";

    [Fact]
    public void ConllReader_CraftIobWithDefaultMap_YieldsReferenceTags()
    {
        var corpus = ConllReader.Parse(Sample, "craft-iob.tsv", new ReadOptions { LabelMap = LabelMap.CraftIob }).Corpus;
        Assert.Equal(3, corpus.Sentences.Count);
        Assert.Equal(["Cell", "Chemical", "Gene", "Protein", "Sequence", "Taxon"], corpus.EntityTypes());
        Assert.Equal(["B-Protein", "O", "B-Chemical", "O", "B-Taxon", "B-Cell", "I-Cell", "O"], corpus.Sentences[0].Labels);
        Assert.Equal(["O", "B-Gene", "I-Gene", "O", "O", "B-Sequence"], corpus.Sentences[1].Labels);
    }
}
