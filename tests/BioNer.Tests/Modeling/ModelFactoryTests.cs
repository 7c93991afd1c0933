using BioNer.Modeling;
using static TorchSharp.torch;

namespace BioNer.Tests.Modeling;

/// <summary>HF-style seeded initialisation and the model summary.</summary>
public class ModelFactoryTests
{
    [Fact]
    public void Create_SameSeed_IdenticalWeights_DifferentSeed_Different()
    {
        var config = ModelTestData.TinyConfig("roberta");
        using var a = ModelFactory.Create(config, seed: 11);
        using var b = ModelFactory.Create(config, seed: 11);
        using var c = ModelFactory.Create(config, seed: 12);
        using var scope = NewDisposeScope();
        var sa = a.state_dict();
        var sb = b.state_dict();
        var sc = c.state_dict();
        Assert.All(sa.Keys, k => Assert.True(sa[k].eq(sb[k]).all().item<bool>(), k));
        Assert.False(sa["roberta.encoder.layer.0.attention.self.query.weight"]
            .eq(sc["roberta.encoder.layer.0.attention.self.query.weight"]).all().item<bool>());
    }

    [Theory]
    [InlineData("roberta")]
    [InlineData("bert")]
    public void Create_AnyFamily_InitialisesLikeHuggingFace(string family)
    {
        var config = ModelTestData.TinyConfig(family) with { NumHiddenLayers = 1, HiddenSize = 64, NumAttentionHeads = 4 };
        using var model = ModelFactory.Create(config, seed: 5);
        using var scope = NewDisposeScope();
        var p = model.state_dict();
        string prefix = config.BaseModelPrefix;
        var words = p[$"{prefix}.embeddings.word_embeddings.weight"];
        var positions = p[$"{prefix}.embeddings.position_embeddings.weight"];

        Assert.Equal(0f, words[config.PadTokenId].abs().max().item<float>());
        Assert.Equal(family == "roberta", positions[config.PadTokenId].abs().max().item<float>() == 0f);
        Assert.InRange(words.std().item<float>(), 0.018, 0.022);
        Assert.InRange(p[$"{prefix}.encoder.layer.0.intermediate.dense.weight"].std().item<float>(), 0.018, 0.022);
        Assert.Equal(0f, p[$"{prefix}.encoder.layer.0.output.dense.bias"].abs().max().item<float>());
        Assert.Equal(1f, p[$"{prefix}.embeddings.LayerNorm.weight"].min().item<float>());
        Assert.Equal(1f, p[$"{prefix}.encoder.layer.0.attention.output.LayerNorm.weight"].max().item<float>());
        Assert.Equal(0f, p[$"{prefix}.encoder.layer.0.output.LayerNorm.bias"].abs().max().item<float>());
        Assert.Equal(0f, p["classifier.bias"].abs().max().item<float>());
    }

    [Fact]
    public void Summary_Fixture_CountsParametersAndListsLabels()
    {
        var config = ModelConfig.Load(ModelTestData.TinyDir);
        using var model = ModelFactory.Create(config, seed: 1);
        const long H = 32, I = 64, L = 13;
        long embeddings = (3261 + 130 + 1) * H + 2 * H;
        long layer = 4 * (H * H + H) + 2 * 2 * H + (H * I + I) + (I * H + H);
        long expected = embeddings + 2 * layer + H * L + L;

        var summary = ModelSummary.Of(model);

        Assert.Equal(expected, summary.ParameterCount);
        Assert.Equal(("RobertaForTokenClassification", 2, 32, 4, 128), (summary.Architecture, summary.Layers,
            summary.HiddenSize, summary.Heads, summary.MaxSequenceLength));
        Assert.Contains($"parameters: {expected:N0}", summary.ToString());
        Assert.Contains("labels (13): O, B-Chemical", summary.ToString());
    }
}
