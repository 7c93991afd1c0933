using BioNer.Checkpoints;
using BioNer.Modeling;
using BioNer.Modeling.Bert;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace BioNer.Tests.Modeling;

/// <summary>BERT: save/reload, token types, padding invariance, legacy key names.</summary>
public class BertModelTests
{
    private static readonly long[] Ids = [2, 17, 45, 9, 88, 3, 0, 0, 2, 5, 6, 7, 8, 9, 10, 3];
    private static readonly long[] Mask = [1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];

    [Fact]
    public void SaveThenLoad_TinyRandomBert_SameOutputsAndBertKeys()
    {
        using var dir = ModelTestData.NewTempDir();
        using var model = ModelFactory.Create(ModelTestData.TinyConfig("bert"), seed: 9);
        model.eval();
        CheckpointWriter.Save(model, dir.Path);

        using var reloaded = CheckpointLoader.Load(dir.Path);

        Assert.IsType<BertForTokenClassification>(reloaded);
        using var ids = tensor(Ids, [2, 8]);
        using var mask = tensor(Mask, [2, 8]);
        var logits = ModelTestData.Logits(model, ids, mask);
        Assert.Equal(2 * 8 * 5, logits.Length);
        Assert.Equal(logits, ModelTestData.Logits(reloaded, ids, mask));
        var keys = reloaded.state_dict().Keys.ToList();
        Assert.Equal(model.state_dict().Keys, keys);
        Assert.Contains("bert.embeddings.token_type_embeddings.weight", keys);
        Assert.Contains("bert.encoder.layer.1.attention.self.value.bias", keys);
        Assert.All(keys, k => Assert.True(k.StartsWith("bert.") || k.StartsWith("classifier."), k));
    }

    [Fact]
    public void Forward_TokenTypes_NullEqualsZerosAndOnesChangeOutput()
    {
        using var model = ModelFactory.Create(ModelTestData.TinyConfig("bert"), seed: 4);
        model.eval();
        using var ids = tensor(Ids, [2, 8]);
        using var mask = tensor(Mask, [2, 8]);
        using var zerosTypes = zeros_like(ids);
        using var onesTypes = ones_like(ids);

        var none = ModelTestData.Logits(model, ids, mask);

        Assert.Equal(none, ModelTestData.Logits(model, ids, mask, zerosTypes));
        Assert.True(ModelTestData.MaxAbsDiff(none, ModelTestData.Logits(model, ids, mask, onesTypes)) > 1e-3);
    }

    [Theory]
    [InlineData("bert")]
    [InlineData("roberta")]
    public void Forward_PaddedBatch_RealTokensMatchUnpaddedRun(string family)
    {
        using var model = ModelFactory.Create(ModelTestData.TinyConfig(family), seed: 8);
        model.eval();
        int pad = model.Config.PadTokenId;
        long[] padded = [Ids[0], Ids[1], Ids[2], Ids[3], Ids[4], Ids[5], pad, pad];
        using var ids = tensor(padded, [1, 8]);
        using var mask = tensor(Mask[..8], [1, 8]);
        using var shortIds = tensor(padded[..6], [1, 6]);
        using var shortMask = ones(1, 6, ScalarType.Int64);

        var full = ModelTestData.Logits(model, ids, mask);
        var alone = ModelTestData.Logits(model, shortIds, shortMask);

        Assert.InRange(ModelTestData.MaxAbsDiff(full[..alone.Length], alone), 0, 1e-5);
    }

    [Fact]
    public void Load_LegacyGammaBetaNamesAndPositionIdsBuffer_Loads()
    {
        using var dir = ModelTestData.NewTempDir();
        using var model = ModelFactory.Create(ModelTestData.TinyConfig("bert"), seed: 2);
        model.eval();
        CheckpointWriter.Save(model, dir.Path);
        using (var scope = NewDisposeScope())
        {
            var tensors = Safetensors.LoadStateDict(dir.File("model.safetensors"));
            var renamed = tensors.ToDictionary(
                p => p.Key.Replace("LayerNorm.weight", "LayerNorm.gamma").Replace("LayerNorm.bias", "LayerNorm.beta"),
                p => p.Value);
            renamed["bert.embeddings.position_ids"] = arange(40L).unsqueeze(0);
            renamed["bert.pooler.dense.weight"] = zeros(16, 16);
            renamed["cls.predictions.bias"] = zeros(100);
            Safetensors.SaveStateDict(dir.File("model.safetensors"), renamed);
        }
        var log = new List<string>();

        using var reloaded = CheckpointLoader.Load(dir.Path, log: log.Add);

        using var ids = tensor(Ids, [2, 8]);
        using var mask = tensor(Mask, [2, 8]);
        Assert.Equal(ModelTestData.Logits(model, ids, mask), ModelTestData.Logits(reloaded, ids, mask));
        Assert.Contains(log, l => l.Contains("ignored 3 tensors"));
    }

    [Fact]
    public void Forward_TooLongSequence_ThrowsArgumentException()
    {
        using var model = ModelFactory.Create(ModelTestData.TinyConfig("roberta"), seed: 1);
        using var ids = full(1, 39, 5L); // 40 positions - pad 1 - 1 = 38 tokens at most
        using var mask = ones_like(ids);
        var e = Assert.Throws<ArgumentException>(() => model.call(ids, mask, null));
        Assert.Contains("maximum of 38 tokens", e.Message);
    }
}
