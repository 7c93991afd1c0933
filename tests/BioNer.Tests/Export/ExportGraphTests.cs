using System.Text.Json.Nodes;
using BioNer.Checkpoints;
using BioNer.Modeling;
using BioNer.Onnx.Export;
using BioNer.Onnx.Proto;
using BioNer.Onnx.Runtime;
using BioNer.Tests.Data;
using BioNer.Tests.Modeling;
using BioNer.Tokenization;
using static TorchSharp.torch;

namespace BioNer.Tests.Export;

/// <summary>Graph layout, folder layout, activations and errors of the ONNX export (small models only).</summary>
public sealed class ExportGraphTests(ITestOutputHelper output)
{
    private static readonly HashSet<string> StandardOps =
    [
        "Add", "Cast", "Constant", "CumSum", "Div", "Equal", "Erf", "Gather", "Identity", "LayerNormalization", "MatMul",
        "Mul", "Not", "Range", "Relu", "Reshape", "Shape", "Softmax", "Sub", "Tanh", "Transpose", "Unsqueeze",
    ];

    private static ModelConfig TinyBert(string act = "gelu") => ModelConfig.Parse($$"""
        {"model_type": "bert", "vocab_size": 50, "hidden_size": 16, "num_hidden_layers": 2, "num_attention_heads": 2,
         "intermediate_size": 24, "hidden_act": "{{act}}", "max_position_embeddings": 20, "type_vocab_size": 2,
         "id2label": {"0": "O", "1": "B-X", "2": "I-X"} }
        """);

    [Fact]
    public void BuildGraph_RobertaTiny_DynamicInputsLogitsOutputAndStandardOps()
    {
        using var model = CheckpointLoader.Load(ExportTestData.TinyDir);
        var onnx = OnnxExporter.BuildGraph(model);
        var g = onnx.Graph;

        Assert.Equal(["input_ids", "attention_mask"], g.Inputs.Select(i => i.Name));
        Assert.All(g.Inputs, i => Assert.Equal("Int64:batch_size,sequence_length", $"{i.ElemType}:{string.Join(",", i.Shape!)}"));
        Assert.Equal("logits: Float[batch_size, sequence_length, 13]", Assert.Single(g.Outputs).ToString());
        Assert.Equal(new OnnxOpset("", 17), Assert.Single(onnx.OpsetImports));
        Assert.Equal(8, onnx.IrVersion);
        Assert.All(g.Nodes, n => Assert.True(n.Domain == "" && StandardOps.Contains(n.OpType), n.ToString()));
        Assert.Equal(1 + 2 * 2, g.Nodes.Count(n => n.OpType == "LayerNormalization"));
        Assert.Equal(2, g.Nodes.Count(n => n.OpType == "Erf"));
        Assert.Contains(g.Nodes, n => n.OpType == "CumSum"); // RoBERTa positions computed in-graph
        Assert.Equal(g.Nodes.Count, g.Nodes.Select(n => n.Name).Distinct().Count());
        Assert.Contains(onnx.MetadataProps, p => p.Key == "id2label" && p.Value.Contains("B-Chemical"));
    }

    [Fact]
    public void BuildGraph_RobertaTiny_StateDictReadsBackExactly()
    {
        using var model = CheckpointLoader.Load(ExportTestData.TinyDir);
        var onnx = OnnxModel.Parse(OnnxExporter.BuildGraph(model).ToBytes());

        var extracted = OnnxStateDict.Extract(onnx.Graph).Tensors.ToDictionary(t => t.Name);

        using var scope = NewDisposeScope();
        var state = model.state_dict();
        Assert.Equal(state.Keys.Order(), extracted.Keys.Order());
        foreach (var (name, tensor) in state)
        {
            Assert.Equal(tensor.shape, extracted[name].Shape);
            Assert.Equal(tensor.data<float>().ToArray(), extracted[name].Data);
        }
    }

    [Fact]
    public void Export_RobertaTiny_LogitsMatchHuggingFaceGoldenValues()
    {
        using var dir = new TempDir();
        OnnxExporter.Export(ExportTestData.TinyDir, dir.Path);
        var golden = ModelTestData.Outputs;
        var batch = new EncodedBatch(golden.Ids, golden.Mask, new long[golden.Ids.Length], new long[golden.Ids.Length], golden.B, golden.T);
        using var onnx = OnnxTokenClassifier.Load(dir.Path);

        float[] logits = onnx.Logits(batch);

        var (diff, positions) = ExportTestData.MaxDiffReal(golden.Logits, logits, batch, golden.L);
        output.WriteLine($"ORT vs HF transformers: max |diff| {diff:E2} over {positions} positions");
        Assert.InRange(diff, 0, 1e-4);
    }

    [Theory]
    [InlineData("gelu", 17)]
    [InlineData("gelu_new", 18)]
    [InlineData("relu", 21)]
    public void Export_TinyBert_MatchesTorchSharpForActivationAndOpset(string act, int opset)
    {
        using var dir = new TempDir();
        string checkpoint = dir.File("checkpoint"), exported = dir.File("export");
        using var model = ModelFactory.Create(TinyBert(act), seed: 5);
        model.eval();
        var vocab = new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }.Concat(Enumerable.Range(0, 45).Select(i => $"w{i}")).ToArray();
        var tokenizer = HfTokenizer.FromWordPieceVocab(vocab);
        CheckpointWriter.Save(model, checkpoint, tokenizer.SaveTo);
        OnnxExporter.Export(checkpoint, exported, new OnnxExportOptions { Opset = opset });
        var batch = ExportTestData.Batch(HfTokenizer.Load(exported), ["w1 w2 w3 w44 w5", "w7", "w0 w0 w9"]);
        for (int i = 0; i < batch.TokenTypeIds.Length; i += 3) batch.TokenTypeIds[i] = 1; // exercise token types

        using var onnx = OnnxTokenClassifier.Load(exported);
        var (diff, _) = ExportTestData.MaxDiffReal(ExportTestData.TorchLogits(model, batch), onnx.Logits(batch), batch, 3);

        Assert.InRange(diff, 0, 1e-4);
        var graph = OnnxModel.Load(Path.Combine(exported, OnnxExporter.ModelFile));
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], graph.Graph.Inputs.Select(i => i.Name));
        Assert.Equal(opset, Assert.Single(graph.OpsetImports).Version);
    }

    [Fact]
    public void Export_RobertaTinyInt8_WritesHuggingFaceFolderLayout()
    {
        using var dir = new TempDir();
        string outDir = dir.File("out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "stale.txt"), "old");

        var result = OnnxExporter.Export(ExportTestData.TinyDir, outDir, new OnnxExportOptions { QuantizeInt8 = true });

        foreach (var f in new[] { "onnx/model.onnx", "onnx/model_quantized.onnx", "config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json" })
            Assert.Contains(f, result.Files);
        Assert.False(File.Exists(Path.Combine(outDir, "stale.txt"))); // the folder is replaced as a whole
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "config.json")))!;
        Assert.Equal("B-Chemical", (string?)config["id2label"]!["1"]);
        Assert.Equal("RobertaForTokenClassification", (string?)config["architectures"]![0]);
        Assert.Equal(HfTokenizer.Load(ExportTestData.TinyDir).Encode("Aspirin inhibits COX-1."), HfTokenizer.Load(outDir).Encode("Aspirin inhibits COX-1."));
        var int8 = OnnxModel.Load(Path.Combine(outDir, OnnxExporter.QuantizedModelFile)).Graph;
        Assert.Equal(2 * 6 + 1, int8.Nodes.Count(n => n.OpType == "MatMulInteger"));
        Assert.Equal(2 * 4 + 1, int8.Nodes.Count(n => n.OpType == "DynamicQuantizeLinear")); // Q/K/V share one
        Assert.DoesNotContain(int8.Initializers, t => t.Name.StartsWith("onnx::MatMul_") && t.Name.EndsWith(".weight"));
    }

    [Fact]
    public void Export_Fp32Only_WritesNoQuantizedGraph()
    {
        using var dir = new TempDir();
        var result = OnnxExporter.Export(ExportTestData.TinyDir, dir.File("out"));
        Assert.DoesNotContain(OnnxExporter.QuantizedModelFile, result.Files);
        var e = Assert.Throws<BioNerException>(() => OnnxTokenClassifier.Load(dir.File("out"), new OnnxRuntimeOptions { Quantized = true }));
        Assert.Contains("--quantize int8", e.Message);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(22)]
    public void BuildGraph_OpsetOutOfRange_Throws(int opset)
    {
        using var model = CheckpointLoader.Load(ExportTestData.TinyDir);
        var e = Assert.Throws<BioNerException>(() => OnnxExporter.BuildGraph(model, opset));
        Assert.Contains("--opset", e.Message);
    }

    [Fact]
    public void Load_MissingFolder_ThrowsNamingIt()
    {
        var e = Assert.Throws<BioNerException>(() => OnnxTokenClassifier.Load("/nonexistent/bioner-onnx"));
        Assert.Contains("/nonexistent/bioner-onnx", e.Message);
    }

    [Fact]
    public void Logits_BatchArraysWrongLength_ThrowsArgumentException()
    {
        using var dir = new TempDir();
        OnnxExporter.Export(ExportTestData.TinyDir, dir.Path);
        using var onnx = OnnxTokenClassifier.Load(dir.Path);
        var bad = new EncodedBatch([0, 5, 2], [1, 1, 1], [0, 0, 0], [0, 0, 0], 2, 2);
        Assert.Throws<ArgumentException>(() => onnx.Logits(bad));
    }
}
