using BioNer.Inference;
using BioNer.Onnx.Export;
using BioNer.Onnx.Runtime;
using BioNer.Tests.Data;
using static BioNer.Tests.CliRunner;

namespace BioNer.Tests.Export;

/// <summary>The ONNX Runtime scorer is a drop-in for the TorchSharp one in <see cref="NerPipeline"/>.</summary>
public sealed class OnnxScorerTests
{
    private const string Text = "Aspirin inhibits cyclooxygenase-2 in human platelets. The BRCA1 protein repairs DNA in mouse cells.";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Score_ExportFolderOrInMemory_SameProbabilitiesAsTorchScorer(bool exportFirst)
    {
        using var dir = new TempDir();
        string modelDir = ExportTestData.TinyDir;
        if (exportFirst)
        {
            OnnxExporter.Export(ExportTestData.TinyDir, dir.Path);
            modelDir = dir.Path;
        }
        using var torch = TorchTokenScorer.Load(ExportTestData.TinyDir);
        using var onnx = OnnxTokenScorer.Load(modelDir);
        var words = Text.Split(' ');
        var windows = new[] { torch.Tokenize(words).SelectMany(w => w.Select(t => t.Id)).ToArray(), torch.Tokenize(["p53"]).SelectMany(w => w.Select(t => t.Id)).ToArray() };

        var expected = torch.Score(windows);
        var actual = onnx.Score(windows);

        Assert.Equal(torch.Tokenize(words), onnx.Tokenize(words));
        Assert.Equal(torch.Labels, onnx.Labels);
        Assert.Equal(torch.MaxSubTokens, onnx.MaxSubTokens);
        for (int b = 0; b < windows.Length; b++)
            for (int t = 0; t < windows[b].Length; t++)
                for (int l = 0; l < torch.Labels.Count; l++)
                    Assert.InRange(Math.Abs(expected[b][t][l] - actual[b][t][l]), 0, 1e-5);
    }

    [Fact]
    public void Predict_RuntimeOnnx_SameEntitiesAsTorch()
    {
        var torch = Run("predict", "--model", ExportTestData.TinyDir, Text, "--aggregation", "simple");
        var onnx = Run("predict", "--model", ExportTestData.TinyDir, Text, "--aggregation", "simple", "--runtime", "onnx", "--onnx-threads", "1");
        Assert.True(torch.Code == 0 && onnx.Code == 0, torch.Err + onnx.Err);
        Assert.Contains("\"type\"", torch.Out);
        Assert.Equal(Normalize(torch.Out), Normalize(onnx.Out));
    }

    [Fact]
    public void Predict_UnknownRuntime_ExitCode2()
    {
        var r = Run("predict", "--model", ExportTestData.TinyDir, Text, "--runtime", "tensorrt");
        Assert.Equal(2, r.Code);
        Assert.Contains("--runtime", r.Err);
    }

    // Scores may differ in the last float digits between runtimes; labels and offsets must not.
    private static string Normalize(string json) =>
        System.Text.RegularExpressions.Regex.Replace(json, "\"score\":\\s*[0-9.eE-]+", "\"score\":0");

}
