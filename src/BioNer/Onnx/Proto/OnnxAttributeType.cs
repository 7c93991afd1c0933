namespace BioNer.Onnx.Proto;

/// <summary>ONNX <c>AttributeProto.AttributeType</c>: which value field of an attribute is meaningful.</summary>
public enum OnnxAttributeType
{
    /// <summary>Not set.</summary>
    Undefined = 0,
    /// <summary><see cref="OnnxAttribute.F"/>.</summary>
    Float = 1,
    /// <summary><see cref="OnnxAttribute.I"/>.</summary>
    Int = 2,
    /// <summary><see cref="OnnxAttribute.S"/>.</summary>
    String = 3,
    /// <summary><see cref="OnnxAttribute.T"/>.</summary>
    Tensor = 4,
    /// <summary><see cref="OnnxAttribute.G"/>.</summary>
    Graph = 5,
    /// <summary><see cref="OnnxAttribute.Floats"/>.</summary>
    Floats = 6,
    /// <summary><see cref="OnnxAttribute.Ints"/>.</summary>
    Ints = 7,
    /// <summary><see cref="OnnxAttribute.Strings"/>.</summary>
    Strings = 8,
    /// <summary><see cref="OnnxAttribute.Tensors"/>.</summary>
    Tensors = 9,
    /// <summary><see cref="OnnxAttribute.Graphs"/>.</summary>
    Graphs = 10,
}
