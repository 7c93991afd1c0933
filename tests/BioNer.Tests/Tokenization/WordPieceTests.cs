using BioNer.Tokenization;

namespace BioNer.Tests.Tokenization;

/// <summary>
/// BERT WordPiece behaviour on the wordpiece-tiny vocabulary (ids 0–14 are HF's own BERT test vocabulary, so the
/// first case is HF ground truth; the rest are known BasicTokenizer behaviours from the same test file).
/// </summary>
public class WordPieceTests
{
    private static readonly string VocabFile =
        Path.Combine(AppContext.BaseDirectory, "fixtures", "wordpiece-tiny", "vocab.txt");

    private static string FolderWith(string? tokenizerConfig)
    {
        string dir = Path.Combine(Path.GetTempPath(), "bioner-wp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.Copy(VocabFile, Path.Combine(dir, "vocab.txt"));
        if (tokenizerConfig is not null) File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), tokenizerConfig);
        return dir;
    }

    private static HfTokenizer Uncased() => HfTokenizer.Load(FolderWith(null));
    private static HfTokenizer Cased() => HfTokenizer.Load(FolderWith("{\"do_lower_case\": false}"));

    [Fact]
    public void Encode_HuggingFaceBertTestSentence_EqualsHfIds()
    {
        // transformers test_full_tokenizer: "UNwant\u00E9d,running" -> un ##want ##ed , runn ##ing -> [9, 6, 7, 12, 10, 11]
        Assert.Equal(new[] { 1, 9, 6, 7, 12, 10, 11, 2 }, Uncased().Encode("UNwant\u00E9d,running"));
    }

    [Theory]
    [InlineData(" \tHeLLo!how  \n Are yoU?  ", new[] { 15, 16, 17, 18, 19, 20 })] // lowercase, whitespace, punctuation
    [InlineData("H\u00E9llo", new[] { 15 })]                                        // accent stripped when uncased
    [InlineData("Café", new[] { 30 })]                                              // precomposed é -> e
    [InlineData("ah\u535A\u63A8zz", new[] { 26, 27, 28, 29 })]                     // CJK characters split out
    [InlineData("genes(brca1).", new[] { 21, 22, 32, 23, 24, 33, 34 })]            // ## continuation + punctuation
    [InlineData("unwantedX running", new[] { 0, 10, 11 })]                         // no WordPiece split -> [UNK]
    [InlineData("xyz", new[] { 0 })]
    [InlineData("", new int[0])]
    public void Encode_Uncased_MatchesBertBasicTokenizerAndWordPiece(string text, int[] expected)
    {
        Assert.Equal(expected, Uncased().Encode(text, addSpecialTokens: false));
    }

    [Theory]
    [InlineData(" \tHeLLo!how  \n Are yoU?  ", new[] { 36, 16, 17, 0, 0, 20 })] // case kept: Are, yoU unknown
    [InlineData("Café", new[] { 31 })]                                            // cased keeps the accent
    [InlineData("cafe", new[] { 30 })]
    public void Encode_CasedFromTokenizerConfig_KeepsCaseAndAccents(string text, int[] expected)
    {
        var tok = Cased();
        Assert.False(tok.Lowercase);
        Assert.Equal(expected, tok.Encode(text, addSpecialTokens: false));
    }

    [Fact]
    public void Encode_WordOfMaxInputCharsPerWord_SplitsButLongerIsUnk()
    {
        var tok = Uncased();
        int[] hundred = tok.Encode(string.Concat(Enumerable.Repeat("want", 25)), addSpecialTokens: false);
        Assert.Equal(new[] { 5 }.Concat(Enumerable.Repeat(6, 24)), hundred);
        Assert.Equal(new[] { 0 }, tok.Encode(string.Concat(Enumerable.Repeat("want", 26)), addSpecialTokens: false));
    }

    [Fact]
    public void Encode_SpecialTokenInText_KeptWhole()
    {
        var tok = Uncased();
        Assert.Equal(new[] { 1, 5, 4, 13, 2 }, tok.Encode("want [MASK] low"));
    }

    [Fact]
    public void Load_VocabTxt_ResolvesSpecialIdsAndSizes()
    {
        var tok = Uncased();
        Assert.Equal(TokenizerKind.WordPiece, tok.Kind);
        Assert.Equal((1, 2, 3, 0, 4), (tok.ClsId, tok.SepId, tok.PadId, tok.UnkId, tok.MaskId));
        Assert.Equal(37, tok.VocabSize);
        Assert.Equal(512, tok.ModelMaxLength);
        Assert.True(tok.Lowercase);
    }

    [Fact]
    public void EncodeWords_ControlCharacterAndPunctuatedWords_EveryWordHasIds()
    {
        var ids = Uncased().EncodeWords(new[] { "Genes", "\u0007", "BRCA1-", "running" });
        Assert.Equal(new[] { 21, 22 }, ids[0]);
        Assert.Equal(new[] { 0 }, ids[1]);          // cleaned to nothing -> [UNK] stands in
        Assert.Equal(new[] { 23, 24, 25 }, ids[2]);
        Assert.Equal(new[] { 10, 11 }, ids[3]);
        Assert.Empty(Uncased().EncodeWords(Array.Empty<string>()));
    }

    [Fact]
    public void FromWordPieceVocab_SaveToThenLoad_SameIdsAndGeneratedTokenizerJson()
    {
        var vocab = File.ReadAllLines(VocabFile);
        var tok = HfTokenizer.FromWordPieceVocab(vocab, lowercase: true, modelMaxLength: 256);
        string dir = Path.Combine(Path.GetTempPath(), "bioner-wp-save-" + Guid.NewGuid().ToString("N"));
        tok.SaveTo(dir);
        Assert.True(File.Exists(Path.Combine(dir, "vocab.txt")));
        Assert.True(File.Exists(Path.Combine(dir, "special_tokens_map.json")));
        Assert.Contains("\"BertTokenizer\"", File.ReadAllText(Path.Combine(dir, "tokenizer_config.json")));
        var reloaded = HfTokenizer.Load(dir); // tokenizer.json is found first
        string text = "UNwant\u00E9d,running genes(BRCA1) [MASK]";
        Assert.Equal(tok.Encode(text), reloaded.Encode(text));
        Assert.Equal(new[] { 1, 9, 6, 7, 12, 10, 11, 21, 22, 32, 23, 24, 33, 4, 2 }, reloaded.Encode(text));
        Assert.Equal(256, reloaded.ModelMaxLength);

        File.Delete(Path.Combine(dir, "tokenizer.json")); // and the vocab.txt route gives the same
        Assert.Equal(tok.Encode(text), HfTokenizer.Load(dir).Encode(text));
    }
}
