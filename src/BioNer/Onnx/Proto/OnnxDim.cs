namespace BioNer.Onnx.Proto;

/// <summary>One dimension of a declared shape: a fixed size, a symbolic name (<c>batch</c>), or unknown (both null).</summary>
public readonly record struct OnnxDim(long? Value, string? Param)
{
    /// <summary>A fixed-size dimension.</summary>
    public static OnnxDim Fixed(long value) => new(value, null);

    /// <summary>A named dynamic dimension (e.g. <c>batch_size</c>, <c>sequence_length</c>).</summary>
    public static OnnxDim Symbolic(string name) => new(null, name);

    /// <inheritdoc />
    public override string ToString() => Value?.ToString() ?? Param ?? "?";
}
