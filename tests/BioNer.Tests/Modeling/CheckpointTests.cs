using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using BioNer.Checkpoints;
using BioNer.Modeling;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace BioNer.Tests.Modeling;

/// <summary>Saving and strict loading of HF-layout checkpoints.</summary>
public class CheckpointTests
{
    private static string FixtureWeights => Path.Combine(ModelTestData.TinyDir, "model.safetensors");

    [Fact]
    public void Save_ThenLoad_IdenticalLogitsKeysAndConfig()
    {
        using var dir = ModelTestData.NewTempDir();
        var golden = ModelTestData.Outputs;
        using var original = CheckpointLoader.Load(ModelTestData.TinyDir);
        string target = Path.Combine(dir.Path, "saved");

        CheckpointWriter.Save(original, target, tmp => File.WriteAllText(Path.Combine(tmp, "vocab.txt"), "x"));
        using var reloaded = CheckpointLoader.Load(target);

        using var ids = golden.IdsTensor();
        using var mask = golden.MaskTensor();
        Assert.Equal(ModelTestData.Logits(original, ids, mask), ModelTestData.Logits(reloaded, ids, mask));
        Assert.Equal(original.state_dict().Keys, reloaded.state_dict().Keys);
        Assert.True(File.Exists(Path.Combine(target, "vocab.txt")));
        Assert.DoesNotContain(Directory.GetDirectories(dir.Path), d => Path.GetFileName(d).StartsWith('.'));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(target, "config.json")))!.AsObject();
        Assert.Equal("RobertaForTokenClassification", config["architectures"]![0]!.GetValue<string>());
        Assert.Equal("B-Chemical", config["id2label"]!["1"]!.GetValue<string>());
        Assert.Equal(12, config["label2id"]!["I-Sequence"]!.GetValue<int>());
        Assert.Equal(0, config["bos_token_id"]!.GetValue<int>()); // unknown field kept
    }

    [Fact]
    public void Save_Model_SafetensorsHoldsFloat32TensorsUnderHfNames()
    {
        using var dir = ModelTestData.NewTempDir();
        using var model = ModelFactory.Create(ModelTestData.TinyConfig("roberta"), seed: 3);
        CheckpointWriter.Save(model, dir.Path);

        byte[] bytes = File.ReadAllBytes(dir.File("model.safetensors"));
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var tensors = header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__").ToList();
        Assert.Equal(model.state_dict().Keys.Order(), tensors.Select(t => t.Name).Order());
        Assert.All(tensors, t => Assert.Equal("F32", t.Value.GetProperty("dtype").GetString()));
        Assert.Contains(tensors, t => t.Name == "roberta.encoder.layer.1.attention.self.key.weight");
        Assert.Equal("pt", header.RootElement.GetProperty("__metadata__").GetProperty("format").GetString());
        Assert.Equal(0, headerLength % 8); // data aligned, as Python's safetensors writes it
        long dataBytes = tensors.Max(t => t.Value.GetProperty("data_offsets")[1].GetInt64());
        Assert.Equal(bytes.Length, 8 + headerLength + dataBytes);
    }

    [Theory]
    [InlineData("missing", "roberta.encoder.layer.1.output.dense.weight")]
    [InlineData("unexpected", "roberta.encoder.layer.2.output.dense.weight")]
    [InlineData("wrong shape", "roberta.embeddings.word_embeddings.weight")]
    [InlineData("missing", "classifier.bias")]
    public void Load_WeightsNotMatchingConfig_ReportsTensorByName(string problem, string name)
    {
        using var dir = CopyFixtureWith(tensors =>
        {
            switch (problem)
            {
                case "missing": tensors.Remove(name); break;
                case "unexpected": tensors[name] = zeros(32, 64); break;
                default: tensors[name] = zeros(10, 32); break;
            }
        });

        var e = Assert.Throws<BioNerException>(() => CheckpointLoader.Load(dir.Path));

        Assert.Contains(problem, e.Message);
        Assert.Contains(name, e.Message);
        Assert.Contains("model.safetensors", e.Message);
    }

    [Theory]
    [InlineData("model.safetensors", "truncated")]
    [InlineData("pytorch_model.bin", "truncated")]
    [InlineData("model.safetensors", "garbage")]
    [InlineData("pytorch_model.bin", "garbage")]
    public void Load_CorruptWeightFile_ThrowsBioNerExceptionNamingFile(string file, string damage)
    {
        using var dir = ModelTestData.NewTempDir();
        File.Copy(Path.Combine(ModelTestData.TinyDir, "config.json"), dir.File("config.json"));
        byte[] bytes = File.ReadAllBytes(Path.Combine(ModelTestData.TinyDir, file));
        if (damage == "truncated") bytes = bytes[..(bytes.Length * 2 / 3)];
        else new Random(7).NextBytes(bytes);
        File.WriteAllBytes(dir.File(file), bytes);

        var e = Assert.Throws<BioNerException>(() => CheckpointLoader.Load(dir.Path));

        Assert.Equal(dir.File(file), e.File);
    }

    [Fact]
    public void Load_FolderWithoutWeights_ThrowsNamingExpectedFiles()
    {
        using var dir = ModelTestData.NewTempDir();
        File.Copy(Path.Combine(ModelTestData.TinyDir, "config.json"), dir.File("config.json"));
        var e = Assert.Throws<BioNerException>(() => CheckpointLoader.Load(dir.Path));
        Assert.Contains("model.safetensors or pytorch_model.bin", e.Message);
    }

    [Fact]
    public void Load_BareEncoderKeysWithLmHead_LoadsEncoderAndInitialisesNewHead()
    {
        // A base checkpoint (like roberta-base saved from RobertaModel/RobertaForMaskedLM): no "roberta." prefix,
        // no classifier, plus lm_head and pooler tensors the token classifier does not use.
        using var dir = CopyFixtureWith(tensors =>
        {
            foreach (var key in tensors.Keys.ToList())
            {
                var t = tensors[key];
                tensors.Remove(key);
                if (key.StartsWith("roberta.", StringComparison.Ordinal)) tensors[key["roberta.".Length..]] = t;
            }
            tensors["lm_head.dense.weight"] = zeros(32, 32);
            tensors["pooler.dense.weight"] = zeros(32, 32);
        });
        var log = new List<string>();

        using var model = CheckpointLoader.Load(dir.Path, log: log.Add);

        var golden = ModelTestData.Outputs;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var hidden = model.EncoderForward(golden.IdsTensor(), golden.MaskTensor()).data<float>().ToArray();
            Assert.InRange(ModelTestData.MaxAbsDiff(golden.Hidden, hidden), 0, 1e-4);
            Assert.Equal(0f, model.Classifier.bias!.abs().max().item<float>());
            double std = model.Classifier.weight!.std().item<float>();
            Assert.InRange(std, 0.015, 0.025);
        }
        Assert.Contains(log, l => l.Contains("ignored 2 tensors") && l.Contains("lm_head.dense.weight"));
        Assert.Contains(log, l => l.Contains("no classifier head") && l.Contains("13 labels"));
    }

    [Fact]
    public void Load_WithExtendedLabels_KeepsKnownRowsAndAddsNewOnes()
    {
        string[] labels = ["O", "B-Disease", "I-Disease", "B-Chemical", "I-Chemical"];
        var log = new List<string>();
        using var original = CheckpointLoader.Load(ModelTestData.TinyDir);

        using var model = CheckpointLoader.Load(ModelTestData.TinyDir, labels, log.Add);

        Assert.Equal(labels, model.Config.Labels);
        Assert.Equal(new long[] { 5, 32 }, model.Classifier.weight!.shape);
        using var scope = NewDisposeScope();
        var oldW = original.Classifier.weight!;
        var newW = model.Classifier.weight!;
        Assert.True(newW[0].eq(oldW[0]).all().item<bool>()); // O
        Assert.True(newW[3].eq(oldW[1]).all().item<bool>()); // B-Chemical moved from row 1 to row 3
        Assert.True(newW[4].eq(oldW[2]).all().item<bool>()); // I-Chemical
        Assert.Equal(0f, model.Classifier.bias![1].item<float>()); // new label: fresh row, zero bias
        Assert.Equal(original.Classifier.bias![1].item<float>(), model.Classifier.bias![3].item<float>());
        Assert.Contains(log, l => l.Contains("kept 3 head rows") && l.Contains("B-Disease") && l.Contains("dropped"));
    }

    [Fact]
    public void Load_SameLabelsGiven_LoadsHeadUnchangedWithoutTransferLog()
    {
        var log = new List<string>();
        using var model = CheckpointLoader.Load(ModelTestData.TinyDir, ModelTestData.TinyLabels, log.Add);
        var golden = ModelTestData.Outputs;
        using var ids = golden.IdsTensor();
        using var mask = golden.MaskTensor();
        Assert.InRange(ModelTestData.MaxAbsDiff(golden.Logits, ModelTestData.Logits(model, ids, mask)), 0, 1e-4);
        Assert.DoesNotContain(log, l => l.Contains("labels differ"));
    }

    [Fact]
    public void Load_HalfPrecisionWeights_ConvertsToFloat32()
    {
        using var dir = CopyFixtureWith(tensors =>
        {
            foreach (var key in tensors.Keys.ToList()) tensors[key] = tensors[key].to(ScalarType.Float16);
        });

        using var model = CheckpointLoader.Load(dir.Path);

        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        var golden = ModelTestData.Outputs;
        using var ids = golden.IdsTensor();
        using var mask = golden.MaskTensor();
        Assert.InRange(ModelTestData.MaxAbsDiff(golden.Logits, ModelTestData.Logits(model, ids, mask)), 0, 2e-2);
    }

    /// <summary>Copies config.json and a modified copy of the fixture's safetensors into a temp folder.</summary>
    private static TempDir CopyFixtureWith(Action<Dictionary<string, Tensor>> change)
    {
        var dir = ModelTestData.NewTempDir();
        File.Copy(Path.Combine(ModelTestData.TinyDir, "config.json"), dir.File("config.json"));
        using var scope = NewDisposeScope();
        var tensors = Safetensors.LoadStateDict(FixtureWeights);
        change(tensors);
        Safetensors.SaveStateDict(dir.File("model.safetensors"), tensors);
        return dir;
    }
}
