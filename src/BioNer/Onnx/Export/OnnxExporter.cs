using BioNer.Checkpoints;
using BioNer.IO;
using BioNer.Modeling;
using BioNer.Onnx.Proto;
using BioNer.Tokenization;
using static TorchSharp.torch;

namespace BioNer.Onnx.Export;

/// <summary>
/// Exports a token classifier to ONNX without PyTorch: TorchSharp has no ONNX exporter, so BioNer writes the graph
/// itself from the model's state dict (<see cref="ExportTransformer"/>), one graph per family, with dynamic
/// batch/sequence axes. The output folder is laid out as transformers.js and Optimum expect (HF files at the root, the
/// graphs under <c>onnx/</c>), so the same folder feeds <c>pipeline('token-classification', ...)</c> in JavaScript,
/// <c>Onnx.Runtime.OnnxTokenClassifier</c> here, and <c>ORTModelForTokenClassification</c> in Python.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The fp32 graph's path inside an export folder.</summary>
    public const string ModelFile = "onnx/model.onnx";

    /// <summary>The int8 graph's path inside an export folder (transformers.js <c>dtype: 'q8'</c>).</summary>
    public const string QuantizedModelFile = "onnx/model_quantized.onnx";

    /// <summary>
    /// Builds the fp32 graph of <paramref name="model"/>: inputs <c>input_ids</c>, <c>attention_mask</c> (and
    /// <c>token_type_ids</c> for BERT), all int64 [batch_size, sequence_length]; output <c>logits</c> float
    /// [batch_size, sequence_length, num_labels]. Weights are copied out of the model (it is not changed);
    /// <c>metadata_props</c> carries <c>id2label</c> as JSON.
    /// </summary>
    /// <exception cref="BioNerException"><paramref name="opset"/> is outside 17..21.</exception>
    public static OnnxModel BuildGraph(TokenClassifier model, int opset = OnnxExportOptions.MinOpset)
    {
        if (opset is < OnnxExportOptions.MinOpset or > OnnxExportOptions.MaxOpset)
            throw new BioNerException($"--opset must be between {OnnxExportOptions.MinOpset} and {OnnxExportOptions.MaxOpset}, got {opset}");
        var config = model.Config;
        var builder = new ExportGraphBuilder();
        builder.Graph.Name = config.Architecture;
        new ExportTransformer(config, StateDict(model), builder).Build();
        var onnx = new OnnxModel
        {
            IrVersion = opset >= 21 ? 10 : opset >= 19 ? 9 : 8,
            ProducerName = "bioner",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "",
            Graph = builder.Graph,
            DocString = $"{config.Architecture} exported by BioNer",
        };
        onnx.OpsetImports.Add(new OnnxOpset("", opset));
        onnx.MetadataProps.Add(new("id2label", System.Text.Json.JsonSerializer.Serialize(config.Labels)));
        onnx.MetadataProps.Add(new("model_type", config.ModelType));
        return onnx;
    }

    /// <summary>
    /// Loads the HF checkpoint in <paramref name="modelDir"/> and writes, atomically, <paramref name="outDir"/> with
    /// <c>onnx/model.onnx</c> (+ <c>onnx/model_quantized.onnx</c> when asked), <c>config.json</c> (with
    /// <c>id2label</c>, and a CRF head's scores under <see cref="CrfTransitions.ConfigKey"/>: the graph gives emissions), and the tokenizer files (<c>tokenizer.json</c>, <c>tokenizer_config.json</c>,
    /// <c>special_tokens_map.json</c>, plus the originals such as <c>vocab.txt</c>).
    /// </summary>
    /// <exception cref="BioNerException">Bad checkpoint or tokenizer (names the file) or bad options.</exception>
    public static OnnxExportResult Export(string modelDir, string outDir, OnnxExportOptions? options = null,
        Action<string>? log = null)
    {
        options ??= new OnnxExportOptions();
        var tokenizer = HfTokenizer.Load(modelDir);
        using var model = CheckpointLoader.Load(modelDir, log: log);
        var fp32 = BuildGraph(model, options.Opset);
        var int8 = options.QuantizeInt8 ? OnnxQuantizer.QuantizeDynamic(fp32, log) : null;
        AtomicFile.WriteDirectory(outDir, dir =>
        {
            Directory.CreateDirectory(Path.Combine(dir, "onnx"));
            fp32.Save(Path.Combine(dir, ModelFile));
            int8?.Save(Path.Combine(dir, QuantizedModelFile));
            (model.Config with { CrfScores = model.Crf?.ToTransitions() }).Save(Path.Combine(dir, "config.json"));
            tokenizer.SaveTo(dir);
        });
        var files = Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(outDir, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        log?.Invoke($"exported {model.Config.Architecture} ({model.Config.NumLabels} labels, opset {options.Opset}) to {outDir}: {string.Join(", ", files)}");
        return new OnnxExportResult(outDir, files, model.Config.Labels);
    }

    // name → float32 values in PyTorch layout, copied out of the model inside one dispose scope.
    private static Dictionary<string, NamedTensor> StateDict(TokenClassifier model)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var result = new Dictionary<string, NamedTensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in model.state_dict())
        {
            var t = tensor.detach().cpu().to(ScalarType.Float32).contiguous();
            result[name] = new NamedTensor(name, t.shape, t.data<float>().ToArray());
        }
        return result;
    }
}
