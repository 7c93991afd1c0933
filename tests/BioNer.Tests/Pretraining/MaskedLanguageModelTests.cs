using System.Text.Json;
using System.Text.Json.Nodes;
using BioNer.Checkpoints;
using BioNer.Modeling;
using BioNer.Tests.Modeling;
using static TorchSharp.torch;
using TorchSharp;

namespace BioNer.Tests.Pretraining;

/// <summary>The MLM heads: golden logits from a PyTorch peer, HF names, tied decoder, fresh heads, save and reload.</summary>
public class MaskedLanguageModelTests
{
    private static string MlmDir => Path.Combine(AppContext.BaseDirectory, "fixtures", "roberta-tiny-mlm");

    private static (long[,] Ids, long[,] Mask, JsonElement Golden) Golden()
    {
        var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(MlmDir, "expected_mlm.json"))).RootElement;
        long[,] Read(string key)
        {
            var rows = golden.GetProperty(key).EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray();
            var a = new long[rows.Length, rows[0].Length];
            for (int i = 0; i < rows.Length; i++) for (int j = 0; j < rows[i].Length; j++) a[i, j] = rows[i][j];
            return a;
        }
        return (Read("input_ids"), Read("attention_mask"), golden);
    }

    [Fact]
    public void RobertaHead_MatchesThePyTorchPeersGoldenLogits()
    {
        var (ids, mask, golden) = Golden();
        var log = new List<string>();
        using var model = MaskedLanguageModel.Load(MlmDir, log.Add);
        model.eval();
        Assert.Contains(log, l => l.StartsWith("loaded RobertaForMaskedLM head", StringComparison.Ordinal));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = model.call(tensor(ids), tensor(mask), null);                       // (B, T, V)
        long b = logits.shape[0], t = logits.shape[1];
        Assert.Equal(model.Config.VocabSize, logits.shape[2]);
        var first = logits.narrow(2, 0, 64).contiguous().data<float>().ToArray();
        var expected = golden.GetProperty("logits_first64").EnumerateArray().SelectMany(r => r.EnumerateArray()).SelectMany(r => r.EnumerateArray()).Select(v => v.GetSingle()).ToArray();
        Assert.True(ModelTestData.MaxAbsDiff(expected, first) < 1e-4, $"max |diff| {ModelTestData.MaxAbsDiff(expected, first)}");
        var lse = logits.logsumexp(2).contiguous().data<float>().ToArray();
        var expectedLse = golden.GetProperty("logsumexp").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(v => v.GetSingle()).ToArray();
        Assert.True(ModelTestData.MaxAbsDiff(expectedLse, lse) < 1e-4);
        var argmax = logits.argmax(2).data<long>().ToArray();
        Assert.Equal(golden.GetProperty("argmax").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(v => v.GetInt64()), argmax);
        Assert.Equal(b * t, argmax.Length);
    }

    [Fact]
    public void Loss_OnlyAtLabelledPositions_EqualsCrossEntropyOfTheFullLogits()
    {
        var (ids, mask, _) = Golden();
        using var model = MaskedLanguageModel.Load(MlmDir);
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(ids);
        var labels = full_like(input, -100);
        labels[0, 3] = input[0, 3];
        labels[2, 10] = input[2, 10];
        labels[3, 1] = input[3, 1];
        var full = model.call(input, tensor(mask), null);
        var expected = nn.functional.cross_entropy(full.view(-1, full.shape[2]), labels.view(-1), ignore_index: -100).item<float>();
        Assert.Equal(expected, model.Loss(input, tensor(mask), labels).item<float>(), 1e-5);
        Assert.True(float.IsNaN(model.Loss(input, tensor(mask), full_like(input, -100)).item<float>()));
    }

    [Fact]
    public void Decoder_IsTheWordEmbeddingTable_NotACopy()
    {
        using var model = MaskedLanguageModel.Load(MlmDir);
        var names = model.named_parameters().Select(p => p.name).ToList();
        Assert.DoesNotContain(names, n => n.Contains("decoder", StringComparison.Ordinal));
        Assert.Equal(names.Count, names.Distinct().Count());
        using var scope = NewDisposeScope();
        var ids = tensor(new long[,] { { 0, 5, 9, 2 } });
        var mask = ones_like(ids);
        var labels = tensor(new long[,] { { -100, 7, -100, -100 } });
        model.Loss(ids, mask, labels).backward();
        var grad = model.named_parameters().Single(p => p.name == "roberta.embeddings.word_embeddings.weight").parameter.grad!;
        // Row 7 is only ever an output class here (no input is 7): its gradient comes through the tied decoder alone.
        Assert.True(grad[7].abs().sum().item<float>() > 0);
    }

    [Theory]
    [InlineData("roberta", new[] { "lm_head.dense.weight", "lm_head.dense.bias", "lm_head.layer_norm.weight", "lm_head.layer_norm.bias", "lm_head.bias" })]
    [InlineData("bert", new[] { "cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias", "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias", "cls.predictions.bias" })]
    public void HeadNames_AreHfs(string family, string[] expected)
    {
        using var model = MaskedLanguageModel.Create(ModelTestData.TinyConfig(family), seed: 1);
        Assert.Equal(expected.Order(), model.HeadNames.Order());
        Assert.Equal(family == "bert" ? "BertForMaskedLM" : "RobertaForMaskedLM", model.Architecture);
    }

    [Fact]
    public void Load_CheckpointWithoutHead_GetsAFreshHfInitialisedHead()
    {
        var log = new List<string>();
        using var model = MaskedLanguageModel.Load(ModelTestData.TinyDir, log.Add, seed: 3);
        Assert.Contains(log, l => l.StartsWith("no masked-LM head", StringComparison.Ordinal));
        var p = model.state_dict();
        Assert.Equal(0f, p["lm_head.bias"].abs().max().item<float>());
        Assert.Equal(0.02, p["lm_head.dense.weight"].std().item<float>(), 0.005);
        Assert.Equal(1f, p["lm_head.layer_norm.weight"].mean().item<float>());
        using var classifier = CheckpointLoader.Load(ModelTestData.TinyDir);          // the encoder is the checkpoint's
        Assert.True(p["roberta.encoder.layer.1.output.dense.weight"].equal(classifier.state_dict()["roberta.encoder.layer.1.output.dense.weight"]).all().item<bool>());
    }

    [Fact]
    public void Load_IncompleteHead_NamesTheMissingTensor()
    {
        using var dir = new TempDir();
        foreach (var f in Directory.GetFiles(MlmDir)) File.Copy(f, Path.Combine(dir.Path, Path.GetFileName(f)));
        var tensors = WeightFile.Read(Path.Combine(MlmDir, "model.safetensors")).Where(kv => kv.Key != "lm_head.layer_norm.bias").ToList();
        File.Delete(Path.Combine(dir.Path, "model.safetensors"));
        SafetensorsWriter.Write(Path.Combine(dir.Path, "model.safetensors"), tensors);
        var e = Assert.Throws<BioNerException>(() => MaskedLanguageModel.Load(dir.Path));
        Assert.Contains("missing lm_head.layer_norm.bias", e.Message);
        Assert.Contains("model.safetensors", e.Message);
    }

    [Fact]
    public void Save_ThenLoad_SameLogits_HfLayout_AndTrainLoadsTheEncoder()
    {
        using var dir = new TempDir();
        string saved = dir.File("mlm");
        using var model = MaskedLanguageModel.Load(MlmDir);
        model.eval();
        model.Save(saved, d => BioNer.Tokenization.HfTokenizer.Load(MlmDir).SaveTo(d));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(saved, "config.json")))!;
        Assert.Equal("RobertaForMaskedLM", config["architectures"]![0]!.GetValue<string>());
        var stored = WeightFile.Read(Path.Combine(saved, "model.safetensors"));
        Assert.DoesNotContain(stored.Keys, k => k.Contains("decoder", StringComparison.Ordinal));
        Assert.Contains("lm_head.bias", stored.Keys);
        using var again = MaskedLanguageModel.Load(saved);
        again.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(new long[,] { { 0, 11, 42, 7, 2 } });
        Assert.True(model.call(ids, ones_like(ids), null).equal(again.call(ids, ones_like(ids), null)).all().item<bool>());
        var log = new List<string>();
        using var ner = CheckpointLoader.Load(saved, ["O", "B-Gene", "I-Gene"], log.Add);
        Assert.Contains(log, l => l.Contains("lm_head.bias", StringComparison.Ordinal) && l.StartsWith("ignored", StringComparison.Ordinal));
        Assert.True(ner.state_dict()["roberta.embeddings.word_embeddings.weight"].equal(model.state_dict()["roberta.embeddings.word_embeddings.weight"]).all().item<bool>());
    }

    [Fact]
    public void TrainSteps_TwentyInOwnScopes_LiveTensorCountStaysFlat_CrfLossToo()
    {
        using var model = MaskedLanguageModel.Load(MlmDir);
        model.train();
        using var optimizer = BioNer.Training.TrainingSteps.CreateOptimizer(model, new BioNer.Training.TrainingOptions());
        using var ids = tensor(new long[,] { { 0, 11, 42, 7, 9, 2 }, { 0, 5, 6, 2, 1, 1 } });
        using var mask = tensor(new long[,] { { 1, 1, 1, 1, 1, 1 }, { 1, 1, 1, 1, 0, 0 } });
        using var labels = tensor(new long[,] { { -100, 11, -100, 7, -100, -100 }, { -100, -100, 6, -100, -100, -100 } });
        void Step()
        {
            using var scope = NewDisposeScope();
            model.Loss(ids, mask, labels).backward();
            optimizer.Step(1e-4, 1.0);
        }
        Step();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 20; i++) Step();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);

        using var crf = new LinearChainCrf(["O", "B-A", "I-A"]);
        using var logits = randn(2, 6, 3);
        using var tags = tensor(new long[,] { { -100, 1, 2, 0, -100, -100 }, { -100, 0, -100, 1, -100, -100 } });
        void CrfStep()
        {
            using var scope = NewDisposeScope();
            crf.NegativeLogLikelihood(logits, tags).Sum.backward();
        }
        CrfStep();
        before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 20; i++) CrfStep();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
