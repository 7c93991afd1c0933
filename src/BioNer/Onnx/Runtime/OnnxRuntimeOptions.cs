namespace BioNer.Onnx.Runtime;

/// <summary>Knobs of <see cref="OnnxTokenClassifier"/>.</summary>
public sealed record OnnxRuntimeOptions
{
    /// <summary>
    /// Threads one forward pass may use (ORT intra-op threads); 0 = one per logical CPU, as libtorch does. Why not ONNX
    /// Runtime's own default: on this project's 2-vCPU machine it ran a forward on one core (`bioner predict` on the 30
    /// CRAFT test articles: 81 s wall for 80 s of CPU, against 36 s for TorchSharp on 2 threads).
    /// </summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Load <c>onnx/model_quantized.onnx</c> instead of <c>onnx/model.onnx</c> from an export folder.</summary>
    public bool Quantized { get; init; }
}
