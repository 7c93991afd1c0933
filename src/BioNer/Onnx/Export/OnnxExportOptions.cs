namespace BioNer.Onnx.Export;

/// <summary>Options of <see cref="OnnxExporter.Export"/> (<c>bioner export onnx</c>).</summary>
public sealed record OnnxExportOptions
{
    /// <summary>Lowest opset the exporter accepts: 17 brings <c>LayerNormalization</c>.</summary>
    public const int MinOpset = 17;

    /// <summary>Highest opset accepted; the graph only uses operators unchanged up to this version.</summary>
    public const int MaxOpset = 21;

    /// <summary>ONNX default-domain opset the graph declares (17..21).</summary>
    public int Opset { get; init; } = MinOpset;

    /// <summary>Also write <c>onnx/model_quantized.onnx</c>, dynamically quantized to 8 bits (see <see cref="OnnxQuantizer"/>).</summary>
    public bool QuantizeInt8 { get; init; }
}
