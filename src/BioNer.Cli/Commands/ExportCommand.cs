using System.CommandLine;
using BioNer.Checkpoints;
using BioNer.Onnx.Export;

namespace BioNer.Cli.Commands;

/// <summary>
/// <c>bioner export onnx</c>: writes a model as an ONNX graph (+ optional int8 graph) with the HuggingFace files next
/// to it, the folder layout transformers.js and Optimum load, and that <c>OnnxTokenClassifier</c> runs here.
/// </summary>
internal static class ExportCommand
{
    private static readonly Option<string> Model = new("--model") { Description = "Model folder (HF layout), hub id, or built-in 'minilm'", Required = true };
    private static readonly Option<string> Out = new("--out") { Description = "Output folder (replaced atomically)", Required = true };
    private static readonly Option<int> Opset = new("--opset") { Description = $"ONNX opset ({OnnxExportOptions.MinOpset}..{OnnxExportOptions.MaxOpset})", DefaultValueFactory = _ => OnnxExportOptions.MinOpset };
    private static readonly Option<string> Quantize = new("--quantize") { Description = "Also write onnx/model_quantized.onnx: int8 (dynamic quantization)" };

    /// <summary>Creates the <c>export</c> verb with its <c>onnx</c> sub-command.</summary>
    public static Command Create()
    {
        var onnx = new Command("onnx", "Export a token classifier to ONNX (onnx/model.onnx + config.json + tokenizer files)");
        foreach (var o in new Option[] { Model, Out, Opset, Quantize }) onnx.Options.Add(o);
        onnx.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            bool int8 = parse.GetValue(Quantize) switch
            {
                null => false,
                var q when q.Equals("int8", StringComparison.OrdinalIgnoreCase) => true,
                var q => throw new BioNerException($"--quantize: unknown value '{q}' (supported: int8)"),
            };
            string dir = ModelResolver.Resolve(parse.GetValue(Model)!, output.WriteLine);
            var options = new OnnxExportOptions { Opset = parse.GetValue(Opset), QuantizeInt8 = int8 };
            var result = OnnxExporter.Export(dir, parse.GetValue(Out)!, options, output.WriteLine);
            output.WriteLine($"wrote {result.Files.Count} files to {result.Directory}");
            return 0;
        });
        var export = new Command("export", "Export a model to another format");
        export.Subcommands.Add(onnx);
        return export;
    }
}
