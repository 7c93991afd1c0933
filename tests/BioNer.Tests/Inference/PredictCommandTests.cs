using System.Text.Json;
using BioNer.Cli;
using static BioNer.Tests.CliRunner;

namespace BioNer.Tests.Inference;

public class PredictCommandTests
{
    private static readonly string ModelDir = Path.Combine(AppContext.BaseDirectory, "fixtures", "roberta-tiny");

    [Fact]
    public void Predict_TextArgument_JsonWithOriginalOffsets()
    {
        string text = "Pax6\tmutant mice 🧬\r\nreceived aspirin.";
        var (code, output, err) = Run("predict", "--model", ModelDir, text, "--aggregation", "simple");
        Assert.True(code == 0, err);
        var doc = JsonDocument.Parse(output).RootElement[0];
        Assert.Equal(text, doc.GetProperty("text").GetString());
        foreach (var e in doc.GetProperty("entities").EnumerateArray())
            Assert.Equal(text[e.GetProperty("start").GetInt32()..e.GetProperty("end").GetInt32()], e.GetProperty("text").GetString());
    }

    [Fact]
    public void Predict_NoTextAndNoInput_SaysWhatToGive()
    {
        var (code, _, err) = Run("predict", "--model", ModelDir);
        Assert.Equal(2, code);
        Assert.Contains("nothing to annotate", err);
        (code, _, err) = Run("predict", "--model", ModelDir, "text", "--input", "-");
        Assert.Equal(2, code);
        Assert.Contains("not both", err);
    }

    [Fact]
    public void MissingLibTorch_WrappedInTypeInitializer_IsRecognisedAndOtherDllErrorsAreNot()
    {
        // What TorchSharp throws in the ONNX-only publish (no libLibTorchSharp.so), as its static constructor wraps it.
        var missing = new TypeInitializationException("TorchSharp.torch",
            new DllNotFoundException("Unable to load shared library 'LibTorchSharp' or one of its dependencies."));
        Assert.True(Program.IsMissingLibTorch(missing));
        Assert.False(Program.IsMissingLibTorch(new DllNotFoundException("Unable to load shared library 'onnxruntime'")));
        Assert.False(Program.IsMissingLibTorch(new InvalidOperationException("LibTorchSharp")));
        Assert.Contains("--runtime onnx", Program.MissingLibTorchMessage);
    }

    [Fact]
    public void Predict_FolderWithOneBadFile_OthersWrittenAndExit2()
    {
        var input = Directory.CreateTempSubdirectory("bioner-predict-in-").FullName;
        var output = Path.Combine(Path.GetTempPath(), $"bioner-predict-out-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllText(Path.Combine(input, "a.txt"), "Mutations in Brca1 cause tumours in mice.");
            File.WriteAllText(Path.Combine(input, "b.jsonl"), "{\"id\": \"p1\", \"text\": \"Aspirin\"}\n{\"id\": \"p2\", \"text\": \"COX-1\"}\n");
            File.WriteAllText(Path.Combine(input, "c.jsonl"), "{\"id\": \"p3\", \"text\": \"fine\"}\n{broken\n");
            var (code, _, err) = Run("predict", "--model", ModelDir, "--input", input, "--format", "pubtator", "--out", output);
            Assert.Equal(2, code);
            Assert.Contains("c.jsonl", err);
            Assert.Contains(":2:", err); // the line of the bad record
            Assert.True(File.Exists(Path.Combine(output, "a.pubtator")));
            string b = File.ReadAllText(Path.Combine(output, "b.pubtator"));
            Assert.Contains("p1|t|Aspirin", b);
            Assert.Contains("p2|t|COX-1", b);
            Assert.False(File.Exists(Path.Combine(output, "c.pubtator")));
        }
        finally
        {
            Directory.Delete(input, true);
            if (Directory.Exists(output)) Directory.Delete(output, true);
        }
    }

    [Fact]
    public void Predict_HtmlToFile_SelfContainedPage()
    {
        string file = Path.Combine(Path.GetTempPath(), $"bioner-{Guid.NewGuid():N}.html");
        try
        {
            var (code, _, err) = Run("predict", "--model", ModelDir, "<script>alert(1)</script> Pax6", "--format", "html", "--out", file);
            Assert.True(code == 0, err);
            string html = File.ReadAllText(file);
            Assert.StartsWith("<!DOCTYPE html>", html);
            Assert.DoesNotContain("<script>", html);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void Predict_NeitherTextNorInput_Exit2() => Assert.Equal(2, Run("predict", "--model", ModelDir).Code);
}
