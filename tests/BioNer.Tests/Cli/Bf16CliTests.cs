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

    [Theory]
    //          --bf16 --fp32  runtime  byDefault hardware hidden  expected
    [InlineData(false, false, "torch", true, true, 768, true)]      // predict/serve, bf16 CPU, base-sized: bf16
    [InlineData(false, false, "torch", true, true, 1024, true)]
    [InlineData(false, false, "torch", true, true, 384, false)]     // MiniLM: bf16 did not earn it
    [InlineData(false, false, "torch", true, false, 768, false)]    // no bf16 hardware
    [InlineData(false, false, "torch", false, true, 768, false)]    // evaluate: fp32 unless asked
    [InlineData(false, true, "torch", true, true, 768, false)]      // --fp32
    [InlineData(true, false, "torch", false, false, 384, true)]     // --bf16 asks (the hardware check comes later)
    [InlineData(false, false, "onnx", true, true, 768, false)]
    public void UsesBf16_ByOptionsHardwareAndModelSize(bool bf16, bool fp32, string runtime, bool byDefault, bool hardware,
        int hidden, bool expected) =>
        Assert.Equal(expected, BioNer.Cli.Commands.RuntimeOption.UsesBf16(bf16, fp32, runtime, byDefault, hardware, hidden));

    [Fact]
    public void Predict_Bf16AndFp32Together_Refused()
    {
        var (code, _, err) = Run("predict", "--model", ModelTestData.TinyDir, "--bf16", "--fp32", "Cells of E. coli.");
        Assert.Equal(2, code);
        Assert.Contains("--bf16 and --fp32 exclude each other", err);
    }

    [Fact]
    public void Evaluate_Bf16_NamesTheRuntimeTorchBf16WithHardwareElseRefused()
    {
        using var tmp = new TempDir();
        var (_, dev) = TrainTestData.WriteSubset(tmp.File("data"));
        var (code, stdout, err) = Run("evaluate", "--model", ModelTestData.TinyDir, "--data", dev, "--bf16", "--json");
        if (!CpuFeatures.HasBf16Hardware)
        {
            Assert.Equal(2, code);
            Assert.Contains("no bf16 hardware", err);
            return;
        }
        Assert.True(code == 0, err);
        Assert.Equal("torch bf16", System.Text.Json.Nodes.JsonNode.Parse(stdout)!["runtime"]!.GetValue<string>());
        var (plainCode, plain, plainErr) = Run("evaluate", "--model", ModelTestData.TinyDir, "--data", dev, "--json");
        Assert.True(plainCode == 0, plainErr);
        Assert.Equal("torch", System.Text.Json.Nodes.JsonNode.Parse(plain)!["runtime"]!.GetValue<string>());
    }
}
