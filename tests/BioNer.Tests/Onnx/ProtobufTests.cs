using BioNer.Onnx.Proto;

namespace BioNer.Tests.Onnx;

public class ProtobufTests
{
    private static byte[] Encode(Action<ProtobufWriter> write)
    {
        using var ms = new MemoryStream();
        write(new ProtobufWriter(ms));
        return ms.ToArray();
    }

    [Theory]
    [InlineData(1L, new byte[] { 0x08, 0x01 })]
    [InlineData(300L, new byte[] { 0x08, 0xAC, 0x02 })]
    [InlineData(-1L, new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void WriteInt64_KnownValues_MatchProtobufEncoding(long value, byte[] expected)
    {
        byte[] bytes = Encode(w => w.WriteInt64(1, value));
        Assert.Equal(expected, bytes);
        var r = new ProtobufReader(bytes);
        Assert.True(r.Next());
        Assert.Equal(1, r.Field);
        Assert.Equal(value, r.ReadInt64());
        Assert.False(r.Next());
    }

    [Fact]
    public void ReadRepeatedInt64_PackedAndUnpacked_SameValues()
    {
        long[] values = [3, 270, 86942, -2];
        byte[] packed = Encode(w => w.WritePackedInt64(4, values));
        byte[] unpacked = Encode(w => { foreach (var v in values) w.WriteInt64(4, v, always: true); });
        Assert.NotEqual(packed, unpacked);
        foreach (var bytes in new[] { packed, unpacked })
        {
            var got = new List<long>();
            var r = new ProtobufReader(bytes);
            while (r.Next()) r.ReadRepeatedInt64(got);
            Assert.Equal(values, got);
        }
    }

    [Fact]
    public void WriteInt64_ZeroWithoutAlways_Skipped_WithAlways_Written()
    {
        Assert.Empty(Encode(w => w.WriteInt64(3, 0)));
        Assert.Equal(new byte[] { 0x18, 0x00 }, Encode(w => w.WriteInt64(3, 0, always: true)));
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x05, 0x61 })]        // length 5, 1 byte present
    [InlineData(new byte[] { 0x08, 0x80 })]              // varint never ends
    [InlineData(new byte[] { 0x00, 0x01 })]              // field number 0
    public void Parse_MalformedMessage_ThrowsInvalidData(byte[] bytes)
    {
        Assert.Throws<InvalidDataException>(() => OnnxTensor.Parse(bytes));
    }

    [Fact]
    public void Parse_UnknownFields_KeptAndWrittenBack()
    {
        // TensorProto with name (8), a doc_string (12) and an unknown fixed32 field 99.
        byte[] original = Encode(w =>
        {
            w.WriteInt64(2, 1);
            w.WriteString(8, "t");
            w.WriteString(12, "a doc");
            w.WriteFloat(99, 2.5f);
        });
        var t = OnnxTensor.Parse(original);
        Assert.Equal("t", t.Name);
        Assert.Equal(OnnxDataType.Float, t.DataType);
        Assert.True(t.Unknown.Length > 0);
        Assert.Equal(original, ProtobufWriter.ToBytes(t));
    }

    [Fact]
    public void OnnxTensor_FloatDataAndRawData_SameValues()
    {
        var raw = OnnxTensor.FromFloats("w", [2, 2], [1f, -2.5f, 3e-8f, 4f]);
        var typed = new OnnxTensor { Name = "w", DataType = OnnxDataType.Float };
        typed.Dims.AddRange([2, 2]);
        typed.FloatData.AddRange([1f, -2.5f, 3e-8f, 4f]);
        var back = OnnxTensor.Parse(ProtobufWriter.ToBytes(typed));
        Assert.Equal(raw.ToFloats(), back.ToFloats());
        Assert.Equal(new long[] { 2, 2 }, back.Dims);
    }
}
