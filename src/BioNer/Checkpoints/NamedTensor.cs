namespace BioNer.Checkpoints;

/// <summary>A named float tensor in PyTorch layout: <see cref="Data"/> is row-major over <see cref="Shape"/>.</summary>
public sealed record NamedTensor(string Name, long[] Shape, float[] Data)
{
    /// <summary>Number of elements (product of <see cref="Shape"/>).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);
}
