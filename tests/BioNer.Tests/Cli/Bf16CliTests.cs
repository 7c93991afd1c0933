using BioNer.Native;
using BioNer.Tests.Training;
using BioNer.Tests.Modeling;
using static BioNer.Tests.CliRunner;

namespace BioNer.Tests.Cli;

/// <summary>
/// <c>--bf16</c> on the command line: accepted where the CPU has bf16 hardware, refused with exit code 2 and a message
/// saying what the CPU lacks everywhere else, before anything is written; never with another runtime than torch.
/// </summary>
[Collection(TrainingCollection.Name)]
public class Bf16CliTests
{
    [Fact]
    public void Train_Bf16_TrainsWithBf16HardwareElseRefusedBeforeWriting()
    {
        using var tmp = new TempDir();
        var (train, dev) = TrainTestData.WriteSubset(tmp.File("data"));
        string outDir = tmp.File("out");
        var (code, _, err) = Run("train", "--model", ModelTestData.TinyDir, "--train", train, "--dev", dev, "--out", outDir,
            "--bf16", "--max-steps", "1", "--eval-batch-size", "4");
        if (CpuFeatures.HasBf16Hardware)
        {
            Assert.True(code == 0, err);
            Assert.True(File.Exists(Path.Combine(outDir, "model.safetensors")));
            return;
        }
        Assert.Equal(2, code);
        Assert.Contains("--bf16", err);
        Assert.Contains("no bf16 hardware", err);
        Assert.Contains(CpuFeatures.Model, err);
        Assert.False(File.Exists(Path.Combine(outDir, "run.json")), "nothing may be written before the refusal");
    }

    [Theory]
    [InlineData("onnx")]
    [InlineData("onnx-int8")]
    public void Evaluate_Bf16WithAnOnnxRuntime_Refused(string runtime)
    {
        using var tmp = new TempDir();
        var (_, dev) = TrainTestData.WriteSubset(tmp.File("data"));
        var (code, _, err) = Run("evaluate", "--model", ModelTestData.TinyDir, "--data", dev, "--runtime", runtime, "--bf16");
        Assert.Equal(2, code);
        Assert.Contains($"--bf16 applies to --runtime torch, not {runtime}", err);
    }
}
