namespace BioNer.Onnx.Proto;

/// <summary>The four protobuf wire types ONNX uses (groups, 3 and 4, are deprecated and never appear in ONNX).</summary>
public enum WireType
{
    /// <summary>Base-128 varint: int32, int64, bool, enum.</summary>
    Varint = 0,
    /// <summary>8 little-endian bytes: double, fixed64.</summary>
    Fixed64 = 1,
    /// <summary>A varint length then that many bytes: string, bytes, sub-message, packed repeated scalars.</summary>
    LengthDelimited = 2,
    /// <summary>4 little-endian bytes: float, fixed32.</summary>
    Fixed32 = 5,
}
