using System.Text.Json.Nodes;
using BioNer.Tokenization;

namespace BioNer.Tests.Tokenization;

/// <summary>Loading rules, special tokens, saving, and error messages of <see cref="HfTokenizer"/>.</summary>
public class HfTokenizerLoadTests
{
    private static string TempDir() => Path.Combine(Path.GetTempPath(), "bioner-tokload-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Load_RobertaFixture_SpecialIdsSizesAndKind()
    {
        var tok = HfTokenizer.Load(RobertaParityTests.FixtureDir);
        Assert.Equal(TokenizerKind.ByteLevelBpe, tok.Kind);
        Assert.Equal((0, 2, 1, 3, 3260), (tok.ClsId, tok.SepId, tok.PadId, tok.UnkId, tok.MaskId));
        Assert.Equal(3261, tok.VocabSize);
        Assert.Equal(128, tok.ModelMaxLength);
        Assert.Equal("Ġthe", tok.IdToToken(tok.EncodeWords(["the"])[0][0]));
        Assert.Equal(3260, tok.TokenToId("<mask>"));
    }

    [Theory]
    [InlineData("tokenizer.json")]
    [InlineData("vocab.json")]
    public void Encode_MaskInText_KeptWholeAndSwallowsSpaceBefore(string source)
    {
        var tok = HfTokenizer.Load(source == "tokenizer.json"
            ? RobertaParityTests.CopyWith("tokenizer.json", "tokenizer_config.json")
            : RobertaParityTests.CopyWith("vocab.json", "merges.txt", "tokenizer_config.json"));
        int[] gene = tok.Encode("The gene", addSpecialTokens: false);
        int[] binds = tok.Encode(" binds", addSpecialTokens: false);
        Assert.Equal([0, .. gene, 3260, .. binds, 2], tok.Encode("The gene <mask> binds"));
        Assert.Equal([0, 0, .. gene, 2, 2], tok.Encode("<s>The gene</s>"));
    }

    [Fact]
    public void SaveTo_FromVocabAndMerges_GeneratesEquivalentTokenizerJson()
    {
        var tok = HfTokenizer.Load(RobertaParityTests.CopyWith("vocab.json", "merges.txt"));
        string dir = TempDir();
        tok.SaveTo(dir);
        foreach (var f in new[] { "vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json" })
            Assert.True(File.Exists(Path.Combine(dir, f)), f);
        var ours = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "tokenizer.json")))!;
        var hf = JsonNode.Parse(File.ReadAllText(Path.Combine(RobertaParityTests.FixtureDir, "tokenizer.json")))!;
        foreach (var path in new[] { "model", "pre_tokenizer", "post_processor", "decoder", "normalizer" })
            Assert.True(JsonNode.DeepEquals(hf[path], ours[path]), path);
        Assert.Equal(hf["added_tokens"]!.AsArray().Select(a => (int)a!["id"]!), ours["added_tokens"]!.AsArray().Select(a => (int)a!["id"]!));

        var reloaded = HfTokenizer.Load(dir);
        string text = "TGF-β1 (transforming growth factor β1) binds its receptor at 37 °C.";
        Assert.Equal(tok.Encode(text), reloaded.Encode(text));
    }

    [Fact]
    public void SaveTo_LoadedFromTokenizerJson_CopiesSourceFilesUnchanged()
    {
        string src = RobertaParityTests.CopyWith("tokenizer.json", "tokenizer_config.json");
        string dir = TempDir();
        HfTokenizer.Load(src).SaveTo(dir);
        Assert.Equal(File.ReadAllBytes(Path.Combine(src, "tokenizer.json")), File.ReadAllBytes(Path.Combine(dir, "tokenizer.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(src, "tokenizer_config.json")), File.ReadAllBytes(Path.Combine(dir, "tokenizer_config.json")));
    }

    [Fact]
    public void Load_EmptyFolder_MessageListsFilesLookedFor()
    {
        string dir = TempDir();
        Directory.CreateDirectory(dir);
        var e = Assert.Throws<BioNerException>(() => HfTokenizer.Load(dir));
        Assert.Contains(dir, e.Message);
        foreach (var f in new[] { "tokenizer.json", "vocab.json", "merges.txt", "vocab.txt" }) Assert.Contains(f, e.Message);
    }

    [Fact]
    public void Load_VocabJsonWithoutMerges_SaysMergesMissing()
    {
        var e = Assert.Throws<BioNerException>(() => HfTokenizer.Load(RobertaParityTests.CopyWith("vocab.json")));
        Assert.Contains("merges.txt is missing", e.Message);
        Assert.Throws<BioNerException>(() => HfTokenizer.Load(Path.Combine(TempDir(), "nope")));
    }

    [Fact]
    public void Load_UnigramTokenizerJson_RejectedNamingField()
    {
        string dir = TempDir();
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), "{\"model\": {\"type\": \"Unigram\", \"vocab\": {}}}");
        var e = Assert.Throws<BioNerException>(() => HfTokenizer.Load(dir));
        Assert.Contains("model.type", e.Message);
        Assert.Contains("tokenizer.json", e.Message);
    }

    [Fact]
    public void Load_MalformedJson_ReportsFileAndLine()
    {
        string dir = RobertaParityTests.CopyWith("vocab.json", "merges.txt");
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), "{\n\"model_max_length\": 12,\n oops\n}");
        var e = Assert.Throws<BioNerException>(() => HfTokenizer.Load(dir));
        Assert.Equal(Path.Combine(dir, "tokenizer_config.json"), e.File);
        Assert.Equal(3, e.Line);
    }

    [Theory]
    [InlineData("Ångström", "Angstrom")]
    [InlineData("e\u0301", "e")]
    [InlineData("naïve café", "naive cafe")]
    [InlineData("\uD55C", "\u1112\u1161\u11AB")]            // Hangul syllable -> jamo
    [InlineData("\U0001D15E", "\U0001D157\U0001D165")]      // supplementary-plane decomposition
    [InlineData("\u0344x", "x")]                            // a character made only of marks disappears
    [InlineData("\uFA10", "\u585A")]                        // CJK compatibility ideograph
    public void AccentStripper_MatchesPythonNfdWithoutMarks(string input, string expected)
    {
        Assert.Equal(expected, AccentStripper.Strip(input));
    }
}
