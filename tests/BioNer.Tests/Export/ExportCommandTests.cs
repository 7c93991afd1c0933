using BioNer.Onnx.Export;
using BioNer.Tests.Data;
using static BioNer.Tests.CliRunner;

namespace BioNer.Tests.Export;

public sealed class ExportCommandTests
{
    [Fact]
    public void ExportOnnx_Int8_WritesBothGraphsAndReports()
    {
        using var dir = new TempDir();
        var (code, stdout, stderr) = Run("export", "onnx", "--model", ExportTestData.TinyDir, "--out", dir.File("out"), "--quantize", "int8");
        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(Path.Combine(dir.File("out"), OnnxExporter.ModelFile)));
        Assert.True(File.Exists(Path.Combine(dir.File("out"), OnnxExporter.QuantizedModelFile)));
        Assert.Contains("quantized 13 MatMul weights", stdout);
        Assert.Contains("wrote", stdout);
    }

    [Theory]
    [InlineData("--quantize", "int4", "--quantize")]
    [InlineData("--opset", "12", "--opset")]
    public void ExportOnnx_BadOption_ExitCode2NamingIt(string option, string value, string expected)
    {
        using var dir = new TempDir();
        var (code, _, stderr) = Run("export", "onnx", "--model", ExportTestData.TinyDir, "--out", dir.File("out"), option, value);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
        Assert.False(Directory.Exists(dir.File("out")));
    }
}
