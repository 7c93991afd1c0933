using BioNer.Checkpoints;
using BioNer.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;

namespace BioNer.Tests.Onnx;

public class OnnxModelTests
{
    // y = LeakyRelu(x · W + b, alpha = 0): alpha 0 must be written explicitly (ORT checks has_f), W as raw_data,
    // b as float_data, symbolic batch dimension.
    private static OnnxModel SmallModel()
    {
        var g = new OnnxGraph { Name = "small" };
        g.Inputs.Add(OnnxValueInfo.Tensor("x", OnnxDataType.Float, OnnxDim.Symbolic("batch"), OnnxDim.Fixed(3)));
        g.Outputs.Add(OnnxValueInfo.Tensor("y", OnnxDataType.Float, OnnxDim.Symbolic("batch"), OnnxDim.Fixed(2)));
        g.Initializers.Add(OnnxTensor.FromFloats("W", [3, 2], [1, 0, 0, 1, 1, -1]));
        var b = new OnnxTensor { Name = "b", DataType = OnnxDataType.Float };
        b.Dims.Add(2);
        b.FloatData.AddRange([0.5f, -0.5f]);
        g.Initializers.Add(b);
        g.Nodes.Add(Node("MatMul", "mm", ["x", "W"], ["h"]));
        g.Nodes.Add(Node("Add", "add", ["h", "b"], ["z"]));
        var relu = Node("LeakyRelu", "relu", ["z"], ["y"]);
        relu.Attributes.Add(OnnxAttribute.Float("alpha", 0f));
        g.Nodes.Add(relu);
        var m = new OnnxModel { IrVersion = 8, ProducerName = "bioner-test", Graph = g };
        m.OpsetImports.Add(new OnnxOpset("", 17));
        m.MetadataProps.Add(new("labels", "O,B-Chemical"));
        return m;
    }

    private static OnnxNode Node(string op, string name, string[] inputs, string[] outputs)
    {
        var n = new OnnxNode { OpType = op, Name = name };
        n.Inputs.AddRange(inputs);
        n.Outputs.AddRange(outputs);
        return n;
    }

    [Fact]
    public void ToBytes_SmallModel_RunsInOnnxRuntimeWithExpectedValues()
    {
        using var session = new InferenceSession(SmallModel().ToBytes());
        float[] x = [1, 2, 3, -1, -2, -3];
        using var input = OrtValue.CreateTensorValueFromMemory(x, [2, 3]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["x"], [input], ["y"]);
        // row 1: [1+3, 2-3] + b = [4.5, -1.5] -> relu [4.5, 0]; row 2: [-4, 1] + b = [-3.5, 0.5] -> [0, 0.5]
        Assert.Equal(new float[] { 4.5f, 0f, 0f, 0.5f }, outputs[0].GetTensorDataAsSpan<float>().ToArray());
        Assert.Equal("O,B-Chemical", session.ModelMetadata.CustomMetadataMap["labels"]);
    }

    [Fact]
    public void Parse_WrittenSmallModel_SameGraph()
    {
        var original = SmallModel();
        var back = OnnxModel.Parse(original.ToBytes());
        AssertSameGraph(original.Graph, back.Graph);
        Assert.Equal(8, back.IrVersion);
        Assert.Equal("bioner-test", back.ProducerName);
        Assert.Equal(new OnnxOpset("", 17), Assert.Single(back.OpsetImports));
        Assert.Equal("batch", back.Graph.Inputs[0].Shape![0].Param);
        Assert.Equal(3, back.Graph.Inputs[0].Shape![1].Value);
        var alpha = back.Graph.Nodes[2].Attribute("alpha")!;
        Assert.Equal(OnnxAttributeType.Float, alpha.Type);
        Assert.Equal(0f, alpha.F);
    }

    [Fact]
    public void Parse_MiniLmPackageModel_WriteThenParseGivesSameGraph()
    {
        OnnxModel original;
        using (var s = MiniLmImporter.OpenOnnxModel()) original = OnnxModel.Load(s);
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], original.Graph.Inputs.Select(i => i.Name));
        Assert.Equal("last_hidden_state", original.Graph.Outputs[0].Name);
        Assert.Equal(650, original.Graph.Nodes.Count);

        byte[] written = original.ToBytes();
        var back = OnnxModel.Parse(written);
        AssertSameGraph(original.Graph, back.Graph);
        Assert.Equal(original.IrVersion, back.IrVersion);
        Assert.Equal(written, back.ToBytes()); // writing is a fixpoint
    }

    [Fact]
    public void Load_NotAnOnnxFile_ThrowsBioNerExceptionNamingFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bioner-bad-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, [0x0A, 0xFF, 0x01]);
        try
        {
            var e = Assert.Throws<BioNerException>(() => OnnxModel.Load(path));
            Assert.Equal(path, e.File);
            Assert.Contains("not a valid ONNX model", e.Message);
        }
        finally { File.Delete(path); }
    }

    internal static void AssertSameGraph(OnnxGraph a, OnnxGraph b)
    {
        Assert.Equal(a.Name, b.Name);
        Assert.Equal(a.Nodes.Select(n => n.ToString()), b.Nodes.Select(n => n.ToString()));
        for (int i = 0; i < a.Nodes.Count; i++)
        {
            Assert.Equal(a.Nodes[i].Domain, b.Nodes[i].Domain);
            Assert.Equal(a.Nodes[i].Attributes.Select(Describe), b.Nodes[i].Attributes.Select(Describe));
        }
        Assert.Equal(a.Initializers.Count, b.Initializers.Count);
        for (int i = 0; i < a.Initializers.Count; i++)
        {
            var (x, y) = (a.Initializers[i], b.Initializers[i]);
            Assert.Equal((x.Name, x.DataType), (y.Name, y.DataType));
            Assert.Equal(x.Dims, y.Dims);
            Assert.Equal(x.RawData, y.RawData);
            Assert.Equal(x.FloatData, y.FloatData);
            Assert.Equal(x.Int64Data, y.Int64Data);
        }
        Assert.Equal(a.Inputs.Select(v => v.ToString()), b.Inputs.Select(v => v.ToString()));
        Assert.Equal(a.Outputs.Select(v => v.ToString()), b.Outputs.Select(v => v.ToString()));
        Assert.Equal(a.ValueInfo.Select(v => v.ToString()), b.ValueInfo.Select(v => v.ToString()));
    }

    private static string Describe(OnnxAttribute a) =>
        $"{a.Name}:{a.Type}:{a.F}:{a.I}:{Convert.ToHexString(a.S)}:{string.Join(",", a.Ints)}:{string.Join(",", a.Floats)}:" +
        (a.T is null ? "" : $"{a.T.DataType}[{string.Join(",", a.T.Dims)}]{Convert.ToHexString(a.T.RawData)}");
}
