using BioNer.Pretraining;
using BioNer.Tokenization;

namespace BioNer.Tests.Pretraining;

/// <summary>Masking as HF's collators do it, and the text → blocks preparation of run_mlm.py.</summary>
public class MlmDataTests
{
    private static HfTokenizer Roberta => HfTokenizer.Load(Path.Combine(AppContext.BaseDirectory, "fixtures", "roberta-tiny"));

    private static HfTokenizer WordPiece => HfTokenizer.FromWordPieceVocab(
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "fixtures", "wordpiece-tiny", "vocab.txt")));

    [Fact]
    public void Mask_Rates_AreHfs_AndSpecialsAreNeverChosen()
    {
        var tok = Roberta;
        var masking = new MlmMasking(tok, 0.15, wholeWords: false);
        var rng = new Random(1);
        long tokens = 0, chosen = 0, masked = 0, kept = 0, changed = 0;
        for (int s = 0; s < 400; s++)
        {
            int[] ids = [tok.ClsId, .. Enumerable.Range(0, 120).Select(_ => 4 + rng.Next(tok.VocabSize - 4)), tok.SepId, tok.PadId];
            var (input, labels) = masking.Mask(ids, rng);
            Assert.Equal(-100, labels[0]);
            Assert.Equal(-100, labels[^2]);
            Assert.Equal(-100, labels[^1]);
            Assert.Equal(ids[0], input[0]);
            for (int i = 1; i < ids.Length - 2; i++)
            {
                tokens++;
                if (labels[i] == -100) { Assert.Equal(ids[i], input[i]); continue; }
                Assert.Equal(ids[i], labels[i]);
                chosen++;
                if (input[i] == tok.MaskId) masked++;
                else if (input[i] == ids[i]) kept++;
                else changed++;
            }
        }
        Assert.Equal(0.15, (double)chosen / tokens, 0.01);
        Assert.Equal(0.8, (double)masked / chosen, 0.02);
        Assert.Equal(0.1, (double)changed / chosen, 0.02);
        Assert.Equal(0.1, (double)kept / chosen, 0.02);
    }

    [Fact]
    public void Mask_SameSeed_SameMasks()
    {
        var masking = new MlmMasking(Roberta, 0.15, wholeWords: true);
        var ids = Roberta.Encode("Mutations in the Brca1 gene cause tumours in knockout mice and humans alike.");
        var a = masking.Mask(ids, MlmMasking.BatchRandom(42, 1, 3));
        var b = masking.Mask(ids, MlmMasking.BatchRandom(42, 1, 3));
        Assert.Equal(a.Input, b.Input);
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(MlmMasking.BatchRandom(42, 1, 3).Next(), MlmMasking.BatchRandom(42, 1, 4).Next());
    }

    [Fact]
    public void Words_WordPiece_GroupsHashHashContinuations()
    {
        var tok = WordPiece;
        var ids = tok.Encode("wanted genes brca1 running");                   // want ##ed | gene ##s | brca ##1 | runn ##ing
        var words = new MlmMasking(tok, 0.15, true).Words(ids);
        Assert.Equal([[1, 2], [3, 4], [5, 6], [7, 8]], words.Select(w => w.ToArray()).ToArray());
    }

    [Fact]
    public void Words_ByteLevelBpe_StartAWordAtEachSpaceMarker()
    {
        var tok = Roberta;
        var ids = tok.Encode("Phosphorylation of STAT3 in hepatocytes");
        var masking = new MlmMasking(tok, 0.15, true);
        var words = masking.Words(ids);
        Assert.Equal(5, words.Count);
        foreach (var w in words.Skip(1)) Assert.StartsWith("Ġ", tok.IdToToken(ids[w[0]]));
        foreach (var w in words) foreach (int i in w.Skip(1)) Assert.False(tok.IdToToken(ids[i])!.StartsWith('Ġ'));
        Assert.Equal(ids.Length - 2, words.Sum(w => w.Count));
    }

    [Fact]
    public void WholeWordMask_ChoosesWholeWords_UpToTheTarget()
    {
        var tok = WordPiece;
        var masking = new MlmMasking(tok, 0.3, wholeWords: true);
        var ids = tok.Encode("wanted genes brca1 running wanted genes brca1 running");   // 16 word pieces + 2 specials
        var words = masking.Words(ids);
        for (int seed = 0; seed < 50; seed++)
        {
            var (_, labels) = masking.Mask(ids, new Random(seed));
            int chosen = labels.Count(l => l != -100);
            Assert.Equal((int)Math.Round(ids.Length * 0.3, MidpointRounding.ToEven) / 2 * 2, chosen);  // round(18 · 0.3) = 5 → 2 words of 2
            foreach (var w in words) Assert.True(w.All(i => labels[i] != -100) || w.All(i => labels[i] == -100));
        }
    }

    [Fact]
    public void Encode_GroupTexts_ConcatenatesAndCutsFullBlocks()
    {
        var tok = Roberta;
        string[] rows = ["Loss of KCNJ10 protein expression", "abolishes endocochlear potential", "and causes deafness in mice"];
        var all = rows.SelectMany(r => tok.Encode(r)).ToArray();
        var blocks = MlmCorpus.Encode(rows, tok, 8, lineByLine: false);
        Assert.Equal(all.Length / 8, blocks.Count);
        Assert.All(blocks, b => Assert.Equal(8, b.Length));
        Assert.Equal(all.Take(blocks.Count * 8), blocks.SelectMany(b => b));
        var lines = MlmCorpus.Encode(rows, tok, 6, lineByLine: true);
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => { Assert.True(l.Length <= 6); Assert.Equal(tok.SepId, l[^1]); Assert.Equal(tok.ClsId, l[0]); });
    }

    [Theory]
    [InlineData(100, 5, 5)]
    [InlineData(10, 5, 1)]
    [InlineData(1, 5, 0)]
    [InlineData(50, 0, 0)]
    [InlineData(30, 5, 2)]
    public void ValidationCount_IsTheRoundedShare(int rows, double percent, int expected) =>
        Assert.Equal(expected, MlmCorpus.ValidationCount(rows, percent));

    [Fact]
    public void ReadRows_TextConllAndPubMed_FolderInOrder_BadFilesNamed()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("corpus/sub"));
        File.WriteAllText(dir.File("corpus/a.txt"), "first line\n\n  second line  \n");
        File.WriteAllText(dir.File("corpus/sub/b.conll"), "Brca1\tB-Gene\nbinds\tO\n\nIt\tO\nworks\tO\n");
        File.WriteAllText(dir.File("corpus/.hidden.txt"), "never read\n");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "pubmed", "markup-and-deletions.xml"), dir.File("corpus/sub/c.xml"));
        var rows = MlmCorpus.ReadRows([dir.File("corpus")]);
        Assert.Equal(["first line", "second line", "Brca1 binds", "It works"], rows.Take(4));
        Assert.True(rows.Count > 4);                                               // the PubMed titles and abstracts
        Assert.DoesNotContain("never read", rows);

        File.WriteAllBytes(dir.File("bin.txt"), [0x00, 0xFF, 0x10, 0x00, 0x80, 0x81]);
        var e = Assert.Throws<BioNerException>(() => MlmCorpus.ReadRows([dir.File("bin.txt")]));
        Assert.Contains("bin.txt", e.Message);
        File.WriteAllText(dir.File("empty.txt"), "\n \n");
        Assert.Contains("no text", Assert.Throws<BioNerException>(() => MlmCorpus.ReadRows([dir.File("empty.txt")])).Message);
        Assert.Contains("not found", Assert.Throws<BioNerException>(() => MlmCorpus.ReadRows([dir.File("nope.txt")])).Message);
    }
}
