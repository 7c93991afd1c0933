using BioNer.Data;

namespace BioNer.Tests.Data;

public class BratTests
{
    // "🧬" is one code point (BRAT offset 1) but two UTF-16 units.
    private const string Text = "🧬 IL-2 induces p53. The TNFalpha gene is nice.\n";
    private const string Ann = "T1\tProtein 2 6\tIL-2\nT2\tProtein 15 18\tp53\nR1\tBinds Arg1:T1 Arg2:T2\n#1\tAnnotatorNotes T1\tnote\n"
        + "T3\tProtein 24 27\tTNF\nA1\tNegated T3\nT4\tGene 24 37\tTNFalpha gene\n";

    [Fact]
    public void Parse_EmojiAndOffWordSpans_LabelsWordsWithUtf16Offsets()
    {
        var r = BratReader.Parse(Text, Ann, "doc");
        var s = r.Corpus.Sentences;
        Assert.Equal(2, s.Count);
        Assert.Equal(["🧬", "IL", "-", "2", "induces", "p53", "."], s[0].Words);
        Assert.Equal(["O", "B-Protein", "I-Protein", "I-Protein", "O", "B-Protein", "O"], s[0].Labels);
        Assert.Equal((3, 5), s[0].Offsets![1]);
        Assert.Equal(["The", "TNFalpha", "gene", "is", "nice", "."], s[1].Words);
        Assert.Equal(["O", "B-Gene", "I-Gene", "O", "O", "O"], s[1].Labels);
        Assert.Equal("doc", s[1].DocumentId);
        Assert.Equal(1, r.Report.OverlapsDropped);   // TNF inside "TNFalpha gene"
        Assert.Equal(0, r.Report.BoundarySplits);    // TNF was dropped, so TNFalpha is not cut
        Assert.Equal(4, r.Report.Spans);
    }

    [Fact]
    public void Parse_SpanInsideWord_SplitsWordAndCounts()
    {
        var r = BratReader.Parse("The TNFalpha gene.", "T1\tProtein 4 7\tTNF\n", "d");
        Assert.Equal(["The", "TNF", "alpha", "gene", "."], r.Corpus.Sentences[0].Words);
        Assert.Equal(["O", "B-Protein", "O", "O", "O"], r.Corpus.Sentences[0].Labels);
        Assert.Equal(1, r.Report.BoundarySplits);
    }

    [Theory]
    [InlineData(DiscontinuousPolicy.Drop, "O O O O")]
    [InlineData(DiscontinuousPolicy.Extent, "B-X I-X I-X O")]
    [InlineData(DiscontinuousPolicy.FirstSpan, "B-X O O O")]
    public void Parse_Discontinuous_FollowsPolicy(DiscontinuousPolicy policy, string expected)
    {
        var r = BratReader.Parse("a b c d", "T1\tX 0 1;4 5\ta c\n", "d", new ReadOptions { Discontinuous = policy });
        Assert.Equal(expected.Split(' '), r.Corpus.Sentences[0].Labels);
        Assert.Equal(1, r.Report.Discontinuous);
    }

    [Fact]
    public void Parse_SpanAcrossSentenceBreak_MergesSentences()
    {
        var r = BratReader.Parse("It is the St. John wort. Next one.", "T1\tTaxon 10 23\tSt. John wort\n", "d");
        Assert.Equal(2, r.Corpus.Sentences.Count);
        var r2 = BratReader.Parse("It was 5 mg. Fine now. Ok.", "T1\tX 9 17\tmg. Fine\n", "d");
        Assert.Equal(2, r2.Corpus.Sentences.Count);
        Assert.Equal(["It", "was", "5", "mg", ".", "Fine", "now", "."], r2.Corpus.Sentences[0].Words);
        Assert.Equal(["O", "O", "O", "B-X", "I-X", "I-X", "O", "O"], r2.Corpus.Sentences[0].Labels);
        Assert.Equal(1, r2.Report.SentenceBreaksMerged);
    }

    [Fact]
    public void Parse_LabelMapDrop_RemovesBeforeOverlapResolution()
    {
        var o = new ReadOptions { LabelMap = LabelMap.Parse("GO=-,CHEBI=Chemical") };
        var r = BratReader.Parse("zinc finger", "T1\tGO 0 11\tzinc finger\nT2\tCHEBI 0 4\tzinc\n", "d", o);
        Assert.Equal(["B-Chemical", "O"], r.Corpus.Sentences[0].Labels);
        Assert.Equal(1, r.Report.DroppedByLabelMap);
        Assert.Equal(0, r.Report.OverlapsDropped);
    }

    [Theory]
    [InlineData("T1\tX 0 99\tabc\n", "offsets")]
    [InlineData("T1\tX 0 2\tzz\n", "does not match")]
    [InlineData("T1\tX\tab\n", "expected 'Type start end'")]
    [InlineData("T1\tX0 2\tab\n", "offsets '2'")]
    [InlineData("Q1\tfoo\n", "unknown annotation")]
    public void Parse_BadAnnotation_ThrowsWithLine(string ann, string expected)
    {
        var e = Assert.Throws<BioNerException>(() => BratReader.Parse("ab cd", "T9\tY 3 5\tcd\n" + ann, "doc"));
        Assert.Equal(2, e.Line);
        Assert.Equal("doc.ann", e.File);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void WriteThenRead_Folder_RoundTripsOffsetsAndAnnotations()
    {
        using var dir = new TempDir();
        string src = Path.Combine(dir.Path, "src");
        Directory.CreateDirectory(src);
        File.WriteAllText(Path.Combine(src, "a.txt"), Text);
        File.WriteAllText(Path.Combine(src, "a.ann"), Ann);
        File.WriteAllText(Path.Combine(src, "b.txt"), "Café 😀 aspirin.\n");
        File.WriteAllText(Path.Combine(src, "b.ann"), "T1\tChemical 7 14\taspirin\n");
        var first = BratReader.Read(src);
        string outDir = Path.Combine(dir.Path, "out");
        BratWriter.Write(first, outDir);
        Assert.Equal("T1\tChemical 7 14\taspirin\n", File.ReadAllText(Path.Combine(outDir, "b.ann")));
        Assert.Equal("T1\tProtein 2 6\tIL-2\nT2\tProtein 15 18\tp53\nT3\tGene 24 37\tTNFalpha gene\n",
            File.ReadAllText(Path.Combine(outDir, "a.ann")));
        var second = BratReader.Read(outDir);
        Assert.Equal(first.Sentences.Count, second.Sentences.Count);
        for (int i = 0; i < first.Sentences.Count; i++)
        {
            Assert.Equal(first.Sentences[i].Words, second.Sentences[i].Words);
            Assert.Equal(first.Sentences[i].Labels, second.Sentences[i].Labels);
            Assert.Equal(first.Sentences[i].Offsets, second.Sentences[i].Offsets);
            Assert.Equal(first.Sentences[i].DocumentId, second.Sentences[i].DocumentId);
        }
    }

    [Fact]
    public void Format_NoOffsets_JoinsWordsOneSentencePerLine()
    {
        var (text, ann) = BratWriter.Format([new Sentence(["😀", "IL", "2"], ["O", "B-P", "I-P"]), new Sentence(["x"], ["B-Q"])]);
        Assert.Equal("😀 IL 2\nx\n", text);
        Assert.Equal("T1\tP 2 6\tIL 2\nT2\tQ 7 8\tx\n", ann);
    }

    [Fact]
    public void Read_FolderWithoutAnn_Throws()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<BioNerException>(() => BratReader.Read(dir.Path));
        Assert.Contains(".ann", e.Message);
    }
}
