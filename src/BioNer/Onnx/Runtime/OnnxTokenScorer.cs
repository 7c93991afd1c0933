using BioNer.Inference;
using BioNer.Onnx.Export;
using BioNer.Tokenization;

namespace BioNer.Onnx.Runtime;

/// <summary>
/// <see cref="ITokenScorer"/> on ONNX Runtime: what <c>bioner predict/serve --runtime onnx</c> plug into
/// <see cref="NerPipeline"/> instead of the TorchSharp scorer. Tokenizer, CLS/SEP windows, padding and softmax are
/// <see cref="WindowScorer"/>'s, shared with <see cref="TorchTokenScorer"/>, so entities are the same up to float
/// rounding (fp32) or quantization (int8).
/// </summary>
public sealed class OnnxTokenScorer : WindowScorer
{
    /// <summary>Wraps an ONNX classifier and the tokenizer it was exported with; the scorer owns <paramref name="model"/>.</summary>
    public OnnxTokenScorer(OnnxTokenClassifier model, HfTokenizer tokenizer) : base(model, tokenizer)
    {
    }

    /// <summary>
    /// Opens a model folder for ONNX Runtime. A <c>bioner export onnx</c> folder is used as is; a plain HF checkpoint
    /// (no <c>onnx/</c> graph) is exported in memory first (<paramref name="log"/> says so), nothing written to disk.
    /// <paramref name="tokenizerDir"/> supplies the tokenizer files when <paramref name="dir"/> has none.
    /// </summary>
    public static OnnxTokenScorer Load(string dir, OnnxRuntimeOptions? options = null, Action<string>? log = null, string? tokenizerDir = null)
    {
        options ??= new OnnxRuntimeOptions();
        string file = Path.Combine(dir, options.Quantized ? OnnxExporter.QuantizedModelFile : OnnxExporter.ModelFile);
        var model = File.Exists(file) ? OnnxTokenClassifier.Load(dir, options) : OnnxTokenClassifier.FromCheckpoint(dir, options, log);
        try
        {
            return new OnnxTokenScorer(model, HfTokenizer.Load(tokenizerDir ?? dir));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
