using System.Text.Json;
using BioNer.Tokenization;

namespace BioNer.Tests.Tokenization;

/// <summary>Exact id parity with HuggingFace for the roberta-tiny fixture, from both of its file layouts.</summary>
public class RobertaParityTests
{
    internal static string FixtureDir => Path.Combine(AppContext.BaseDirectory, "fixtures", "roberta-tiny");

    private static readonly JsonElement Expected =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureDir, "expected_tokens.json"))).RootElement;

    /// <summary>A copy of the fixture holding only the given tokenizer files (so the loader must use them).</summary>
    internal static string CopyWith(params string[] names)
    {
        string dir = Path.Combine(Path.GetTempPath(), "bioner-tok-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        foreach (var n in names) File.Copy(Path.Combine(FixtureDir, n), Path.Combine(dir, n));
        return dir;
    }

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var layout in new[] { "tokenizer.json", "vocab.json+merges.txt" })
            for (int i = 0; i < 6; i++) data.Add(layout, i);
        return data;
    }

    private static HfTokenizer LoadLayout(string layout) => layout == "tokenizer.json"
        ? HfTokenizer.Load(CopyWith("tokenizer.json", "tokenizer_config.json"))
        : HfTokenizer.Load(CopyWith("vocab.json", "merges.txt", "tokenizer_config.json"));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encode_FixtureText_EqualsHuggingFaceIds(string layout, int index)
    {
        var tok = LoadLayout(layout);
        var enc = Expected.GetProperty("encodings")[index];
        int[] expected = enc.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(expected, tok.Encode(enc.GetProperty("text").GetString()!));
    }

    [Theory]
    [InlineData("tokenizer.json")]
    [InlineData("vocab.json+merges.txt")]
    public void EncodeWords_PreSplitWords_EqualsHuggingFacePrefixSpaceIds(string layout)
    {
        var tok = LoadLayout(layout);
        foreach (var item in Expected.GetProperty("pretokenized").EnumerateArray())
        {
            var words = item.GetProperty("words").EnumerateArray().Select(w => w.GetString()!).ToList();
            var expected = item.GetProperty("word_ids_with_prefix_space").EnumerateArray()
                .Select(a => a.EnumerateArray().Select(e => e.GetInt32()).ToArray()).ToArray();
            Assert.Equal(expected, tok.EncodeWords(words));
        }
    }
}
