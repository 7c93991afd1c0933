using System.Text.Json.Nodes;
using BioNer.Checkpoints;
using BioNer.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace BioNer.Tests.Onnx;

/// <summary>Imports the package's MiniLM once into a temporary folder shared by the tests of this class.</summary>
public sealed class ImportedMiniLm : IDisposable
{
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), $"bioner-minilm-{Guid.NewGuid():N}");
    public List<string> Log { get; } = [];

    public ImportedMiniLm() => MiniLmImporter.ImportTo(Dir, Log.Add);

    public void Dispose()
    {
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
    }
}

[Trait("Category", Category.Slow)]
public class MiniLmImporterTests(ImportedMiniLm model, ITestOutputHelper output) : IClassFixture<ImportedMiniLm>
{
    private JsonObject Json(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(model.Dir, file)))!.AsObject();

    [Fact]
    public void ImportTo_PackageModel_WritesBertConfigFromTensorShapes()
    {
        var c = Json("config.json");
        Assert.Equal("bert", (string)c["model_type"]!);
        Assert.Equal(30522, (int)c["vocab_size"]!);
        Assert.Equal(384, (int)c["hidden_size"]!);
        Assert.Equal(6, (int)c["num_hidden_layers"]!);
        Assert.Equal(12, (int)c["num_attention_heads"]!);
        Assert.Equal(1536, (int)c["intermediate_size"]!);
        Assert.Equal(512, (int)c["max_position_embeddings"]!);
        Assert.Equal(2, (int)c["type_vocab_size"]!);
        Assert.Equal(1e-12, (double)c["layer_norm_eps"]!);
        Assert.Equal("gelu", (string)c["hidden_act"]!);
        Assert.Equal(0, (int)c["pad_token_id"]!);
        Assert.False(c.ContainsKey("id2label"));
        var t = Json("tokenizer_config.json");
        Assert.True((bool)t["do_lower_case"]!);
        Assert.Equal(512, (int)t["model_max_length"]!);
        Assert.Equal("BertTokenizer", (string)t["tokenizer_class"]!);
        Assert.Equal("[CLS]", (string)Json("special_tokens_map.json")["cls_token"]!);
        Assert.Equal(30522, File.ReadAllLines(Path.Combine(model.Dir, "vocab.txt")).Length);
        Assert.Contains(model.Log, l => l.Contains("36 Linear weights recovered"));
    }

    [Fact]
    public void ImportTo_Safetensors_LoadsInPyBridgeWithHfNamesAndShapes()
    {
        using var scope = NewDisposeScope();
        var sd = Safetensors.LoadStateDict(Path.Combine(model.Dir, "model.safetensors"));
        var expected = new List<string>
        {
            "bert.embeddings.word_embeddings.weight", "bert.embeddings.position_embeddings.weight",
            "bert.embeddings.token_type_embeddings.weight", "bert.embeddings.LayerNorm.weight", "bert.embeddings.LayerNorm.bias",
            "bert.pooler.dense.weight", "bert.pooler.dense.bias",
        };
        string[] perLayer =
        [
            "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
            "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm",
        ];
        for (int l = 0; l < 6; l++)
            foreach (var m in perLayer)
                expected.AddRange([$"bert.encoder.layer.{l}.{m}.weight", $"bert.encoder.layer.{l}.{m}.bias"]);
        Assert.Equal(expected.Order(), sd.Keys.Order());
        Assert.Equal(new long[] { 30522, 384 }, sd["bert.embeddings.word_embeddings.weight"].shape);
        Assert.Equal(new long[] { 384, 384 }, sd["bert.encoder.layer.3.attention.self.key.weight"].shape);
        Assert.Equal(new long[] { 1536, 384 }, sd["bert.encoder.layer.5.intermediate.dense.weight"].shape);
        Assert.Equal(new long[] { 384, 1536 }, sd["bert.encoder.layer.5.output.dense.weight"].shape);
        Assert.All(sd.Values, t => Assert.Equal(ScalarType.Float32, t.dtype));
    }

    [Fact]
    public void Extract_AnonymousWeightWithoutBias_ThrowsNamingIt()
    {
        var g = new OnnxGraph();
        g.Initializers.Add(OnnxTensor.FromFloats("dense.bias", [2], [0, 0]));
        g.Initializers.Add(OnnxTensor.FromFloats("17", [2, 2], [1, 2, 3, 4]));
        g.Initializers.Add(OnnxTensor.FromFloats("18", [3, 2], [1, 2, 3, 4, 5, 6]));
        g.Nodes.Add(NewNode("MatMul", ["x", "17"], ["h"]));
        g.Nodes.Add(NewNode("Add", ["dense.bias", "h"], ["y"]));
        g.Nodes.Add(NewNode("MatMul", ["y", "18"], ["z"]));
        var e = Assert.Throws<InvalidDataException>(() => OnnxStateDict.Extract(g));
        Assert.Contains("18 [3, 2]", e.Message);
        Assert.DoesNotContain("17", e.Message);
    }

    [Fact]
    public void Extract_BiasedMatMul_TransposesWeightToOutIn()
    {
        var g = new OnnxGraph();
        g.Initializers.Add(OnnxTensor.FromFloats("dense.bias", [3], [0, 0, 0]));
        g.Initializers.Add(OnnxTensor.FromFloats("17", [2, 3], [1, 2, 3, 4, 5, 6])); // [in 2, out 3]
        g.Nodes.Add(NewNode("MatMul", ["x", "17"], ["h"]));
        g.Nodes.Add(NewNode("Add", ["h", "dense.bias"], ["y"]));
        var r = OnnxStateDict.Extract(g, prefix: "bert.");
        Assert.Equal(1, r.RecoveredLinearWeights);
        var w = r.Tensors[0];
        Assert.Equal("bert.dense.weight", w.Name);
        Assert.Equal(new long[] { 3, 2 }, w.Shape);
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, w.Data);
        Assert.Equal("bert.dense.bias", r.Tensors[1].Name);
    }

    private static OnnxNode NewNode(string op, string[] inputs, string[] outputs)
    {
        var n = new OnnxNode { OpType = op };
        n.Inputs.AddRange(inputs);
        n.Outputs.AddRange(outputs);
        return n;
    }

    [Fact]
    public void BuiltInBertModel_ImportedWeightsVsOnnxRuntime_MaxAbsDiffBelow1e4()
    {
        string[] sentences =
        [
            "Aspirin inhibits cyclooxygenase in human platelets.",
            "The BRCA1 gene is expressed in breast tissue.",
            "Mice were treated with 5 mg/kg dexamethasone for two weeks before sacrifice.",
        ];
        // BioNer's own WordPiece tokenizer on the imported folder must agree with Microsoft.ML's BertTokenizer on the vocab.
        var ours = BioNer.Tokenization.HfTokenizer.Load(model.Dir);
        BertTokenizer reference;
        using (var v = MiniLmImporter.OpenVocab()) reference = BertTokenizer.Create(v);
        var encoded = sentences.Select(s => ours.Encode(s)).ToArray();
        for (int i = 0; i < sentences.Length; i++) Assert.Equal(reference.EncodeToIds(sentences[i]).ToArray(), encoded[i]);
        int b = encoded.Length, t = encoded.Max(e => e.Length);
        var ids = new long[b * t];
        var mask = new long[b * t];
        for (int i = 0; i < b; i++)
            for (int j = 0; j < encoded[i].Length; j++) { ids[i * t + j] = encoded[i][j]; mask[i * t + j] = 1; }
        Assert.Equal(101, ids[0]);                     // [CLS]
        Assert.Equal(102, ids[encoded[0].Length - 1]); // [SEP]

        float[] ort = RunOnnxRuntime(ids, mask, new long[b * t], b, t);
        using var scope = NewDisposeScope();
        using var bert = BioNer.Checkpoints.CheckpointLoader.Load(model.Dir);   // the real BertForTokenClassification
        using var _ = no_grad();
        var hidden = bert.EncoderForward(tensor(ids, [b, t]), tensor(mask, [b, t]), zeros(b, t, dtype: int64)); // (B, T, 384)
        float[] values = hidden.contiguous().data<float>().ToArray();
        Assert.Equal(ort.Length, values.Length);
        // Padded positions are not compared: HF and ORT leave them as garbage that depends on the attention kernel.
        float maxDiff = 0;
        for (int i = 0; i < b; i++)
            for (int j = 0; j < encoded[i].Length; j++)
                for (int k = 0; k < 384; k++)
                {
                    int at = (i * t + j) * 384 + k;
                    maxDiff = Math.Max(maxDiff, Math.Abs(ort[at] - values[at]));
                }
        output.WriteLine($"max |ORT - BioNer BERT| = {maxDiff:E2} over real positions of {b}x{t}x384");
        Assert.True(maxDiff < 1e-4f, $"max |ORT - BioNer BERT| = {maxDiff}");
        Assert.True(values.Select(Math.Abs).Max() > 0.1f); // not trivially zero
    }

    private static float[] RunOnnxRuntime(long[] ids, long[] mask, long[] types, int b, int t)
    {
        byte[] onnx;
        using (var s = MiniLmImporter.OpenOnnxModel()) { using var ms = new MemoryStream(); s.CopyTo(ms); onnx = ms.ToArray(); }
        using var session = new InferenceSession(onnx);
        using var i1 = OrtValue.CreateTensorValueFromMemory(ids, [b, t]);
        using var i2 = OrtValue.CreateTensorValueFromMemory(mask, [b, t]);
        using var i3 = OrtValue.CreateTensorValueFromMemory(types, [b, t]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input_ids", "attention_mask", "token_type_ids"], [i1, i2, i3], ["last_hidden_state"]);
        Assert.Equal(new long[] { b, t, 384 }, outputs[0].GetTensorTypeAndShape().Shape);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
