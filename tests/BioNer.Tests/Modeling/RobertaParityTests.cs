using BioNer.Checkpoints;
using BioNer.Modeling;
using BioNer.Modeling.Roberta;
using static TorchSharp.torch;

namespace BioNer.Tests.Modeling;

/// <summary>Golden-value parity with HF RobertaForTokenClassification (eval mode) on the roberta-tiny fixture.</summary>
public class RobertaParityTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData("model.safetensors")]
    [InlineData("pytorch_model.bin")]
    public void Load_EitherWeightFile_MatchesHuggingFaceOutputsEverywhere(string weightFile)
    {
        using var dir = ModelTestData.NewTempDir();
        foreach (var name in new[] { "config.json", weightFile })
            File.Copy(Path.Combine(ModelTestData.TinyDir, name), dir.File(name));
        using var model = CheckpointLoader.Load(dir.Path);
        var golden = ModelTestData.Outputs;

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = golden.IdsTensor();
        var mask = golden.MaskTensor();
        var hidden = model.EncoderForward(ids, mask);
        var logits = model.call(ids, mask, null);

        Assert.Equal(new long[] { golden.B, golden.T, golden.H }, hidden.shape);
        Assert.Equal(new long[] { golden.B, golden.T, golden.L }, logits.shape);
        double hiddenDiff = ModelTestData.MaxAbsDiff(golden.Hidden, hidden.data<float>().ToArray());
        double logitsDiff = ModelTestData.MaxAbsDiff(golden.Logits, logits.data<float>().ToArray());
        output.WriteLine($"{weightFile}: max |diff| last_hidden_state {hiddenDiff:E2}, logits {logitsDiff:E2}");
        Assert.InRange(hiddenDiff, 0, Tolerance);
        Assert.InRange(logitsDiff, 0, Tolerance);
    }

    [Fact]
    public void Load_Fixture_ConfigAndTypeAreRoberta()
    {
        using var model = CheckpointLoader.Load(ModelTestData.TinyDir);
        Assert.IsType<RobertaForTokenClassification>(model);
        Assert.Equal(ModelTestData.TinyLabels, model.Config.Labels);
        Assert.False(model.training);
    }

    [Fact]
    public void StateDict_RobertaModel_KeysAreHuggingFaceNames()
    {
        using var model = ModelFactory.Create(ModelConfig.Load(ModelTestData.TinyDir), seed: 1);
        var keys = model.state_dict().Keys.ToList();
        Assert.Equal(2 * 16 + 5 + 2, keys.Count); // 16 per layer, 5 embedding tensors, 2 head tensors
        Assert.Equal("roberta.embeddings.word_embeddings.weight", keys[0]);
        Assert.Contains("roberta.embeddings.position_embeddings.weight", keys);
        Assert.Contains("roberta.embeddings.token_type_embeddings.weight", keys);
        Assert.Contains("roberta.embeddings.LayerNorm.weight", keys);
        Assert.Contains("roberta.encoder.layer.0.attention.self.query.weight", keys);
        Assert.Contains("roberta.encoder.layer.1.attention.output.dense.bias", keys);
        Assert.Contains("roberta.encoder.layer.1.attention.output.LayerNorm.bias", keys);
        Assert.Contains("roberta.encoder.layer.0.intermediate.dense.weight", keys);
        Assert.Contains("roberta.encoder.layer.0.output.LayerNorm.weight", keys);
        Assert.Equal(["classifier.weight", "classifier.bias"], keys.TakeLast(2));
    }
}
