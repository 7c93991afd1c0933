using System.Text.Json.Nodes;
using BioNer.Modeling;

namespace BioNer.Tests.Modeling;

/// <summary>config.json parsing, invariant checks and round-tripping.</summary>
public class ModelConfigTests
{
    private static string FixtureJson => File.ReadAllText(Path.Combine(ModelTestData.TinyDir, "config.json"));

    private static string WithField(string field, JsonNode? value)
    {
        var obj = JsonNode.Parse(FixtureJson)!.AsObject();
        obj[field] = value;
        return obj.ToJsonString();
    }

    [Fact]
    public void Load_Fixture_ReadsEveryField()
    {
        var c = ModelConfig.Load(ModelTestData.TinyDir);
        Assert.Equal(("roberta", 3261, 32, 2, 4, 64), (c.ModelType, c.VocabSize, c.HiddenSize, c.NumHiddenLayers,
            c.NumAttentionHeads, c.IntermediateSize));
        Assert.Equal(("gelu", 0.1, 0.1, 130, 1, 1e-5, 1, 0.02), (c.HiddenAct, c.HiddenDropoutProb,
            c.AttentionProbsDropoutProb, c.MaxPositionEmbeddings, c.TypeVocabSize, c.LayerNormEps, c.PadTokenId,
            c.InitializerRange));
        Assert.Equal(ModelTestData.TinyLabels, c.Labels);
        Assert.Equal(4, c.Label2Id["I-Cell"]);
        Assert.Null(c.ClassifierDropout);
        Assert.Equal(128, c.MaxSequenceLength); // 130 positions - pad 1 - 1
        Assert.Equal("RobertaForTokenClassification", c.Architecture);
    }

    [Theory]
    [InlineData("hidden_size", "30", "hidden_size 30 is not divisible by num_attention_heads 4")]
    [InlineData("vocab_size", "0", "vocab_size must be a positive integer")]
    [InlineData("num_hidden_layers", "-2", "num_hidden_layers must be a positive integer")]
    [InlineData("hidden_size", "\"big\"", "field 'hidden_size' has the wrong type")]
    [InlineData("intermediate_size", "64.5", "field 'intermediate_size' has the wrong type")]
    [InlineData("hidden_act", "\"swish\"", "hidden_act 'swish' is not supported")]
    [InlineData("hidden_dropout_prob", "1.5", "hidden_dropout_prob must be in [0, 1)")]
    [InlineData("pad_token_id", "5000", "pad_token_id 5000 is outside the vocabulary")]
    [InlineData("id2label", "{\"0\": \"O\", \"2\": \"B-X\"}", "id2label key '2' is not an id in 0..1")]
    [InlineData("id2label", "{\"0\": \"O\", \"1\": \"O\"}", "label 'O' appears twice")]
    [InlineData("label2id", "{\"O\": 1}", "label2id has 1 labels but id2label has 13")]
    [InlineData("position_embedding_type", "\"relative_key\"", "position_embedding_type 'relative_key' is not supported")]
    public void Parse_BrokenField_ThrowsNamingFileAndField(string field, string value, string expected)
    {
        string json = WithField(field, JsonNode.Parse(value));
        if (field == "id2label") json = WithoutLabel2Id(json);

        var e = Assert.Throws<BioNerException>(() => ModelConfig.Parse(json, "some/config.json"));

        Assert.Contains(expected, e.Message);
        Assert.StartsWith("some/config.json: ", e.Message);
    }

    [Fact]
    public void Parse_Label2IdDisagreeingWithId2Label_Throws()
    {
        var obj = JsonNode.Parse(FixtureJson)!.AsObject();
        obj["label2id"]!["B-Chemical"] = 2;
        obj["label2id"]!["I-Chemical"] = 1;
        var e = Assert.Throws<BioNerException>(() => ModelConfig.Parse(obj.ToJsonString()));
        Assert.Contains("label2id['B-Chemical'] is 2 but id2label['1'] is 'B-Chemical'", e.Message);
    }

    [Fact]
    public void Parse_UnsupportedModelType_ListsSupportedOnes()
    {
        var e = Assert.Throws<BioNerException>(() => ModelConfig.Parse(WithField("model_type", "gpt2")));
        Assert.Contains("model_type 'gpt2' is not supported; supported: roberta, xlm-roberta, bert", e.Message);
    }

    [Fact]
    public void Parse_NotJson_ThrowsWithLine()
    {
        var e = Assert.Throws<BioNerException>(() => ModelConfig.Parse("{\n \"model_type\": roberta }", "c.json"));
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void Parse_MinimalBert_UsesHuggingFaceDefaults()
    {
        var c = ModelConfig.Parse("""{"model_type": "bert"}""");
        Assert.Equal((30522, 768, 12, 512, 2, 1e-12, 0), (c.VocabSize, c.HiddenSize, c.NumHiddenLayers,
            c.MaxPositionEmbeddings, c.TypeVocabSize, c.LayerNormEps, c.PadTokenId));
        Assert.Equal(["LABEL_0", "LABEL_1"], c.Labels);
        Assert.Equal("bert", c.BaseModelPrefix);
        Assert.Equal(512, c.MaxSequenceLength);
    }

    [Fact]
    public void ToJson_AfterWithLabels_KeepsUnknownFieldsAndWritesNewLabels()
    {
        var c = ModelConfig.Parse(FixtureJson).WithLabels(["O", "B-Disease", "I-Disease"]) with { HiddenDropoutProb = 0.2 };

        var saved = JsonNode.Parse(c.ToJson())!.AsObject();
        var reparsed = ModelConfig.Parse(c.ToJson());

        Assert.Equal(2, saved["eos_token_id"]!.GetValue<int>());
        Assert.Equal("absolute", saved["position_embedding_type"]!.GetValue<string>());
        Assert.Equal("I-Disease", saved["id2label"]!["2"]!.GetValue<string>());
        Assert.Equal(1, saved["label2id"]!["B-Disease"]!.GetValue<int>());
        Assert.Equal(["O", "B-Disease", "I-Disease"], reparsed.Labels);
        Assert.Equal(0.2, reparsed.HiddenDropoutProb);
        Assert.Equal(c.ToJson(), reparsed.ToJson());
    }

    [Fact]
    public void WithLabels_Duplicate_Throws()
    {
        var c = ModelConfig.Parse(FixtureJson);
        Assert.Throws<BioNerException>(() => c.WithLabels(["O", "O"]));
    }

    private static string WithoutLabel2Id(string json)
    {
        var obj = JsonNode.Parse(json)!.AsObject();
        obj.Remove("label2id");
        return obj.ToJsonString();
    }
}
