namespace BioNer.Onnx.Proto;

/// <summary>A message that can encode its own fields (the writer adds the tag and length around it).</summary>
public interface IProtobufMessage
{
    /// <summary>Writes this message's fields, in field-number order, to <paramref name="w"/>.</summary>
    void WriteTo(ProtobufWriter w);
}
