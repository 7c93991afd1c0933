using System.Text.Json.Nodes;
using BioNer.Batch;
using BioNer.Tests.Literature;
using static BioNer.Tests.CliRunner;

namespace BioNer.Tests.Batch;

public class PredictBatchCliTests : IDisposable
{
    private static readonly string ModelDir = Path.Combine(AppContext.BaseDirectory, "fixtures", "roberta-tiny");
    private static readonly string SampleDev = BioNer.Tests.Training.TrainTestData.SampleFile("dev.conll");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Inputs()
    {
        string inputs = Path.Combine(_dir.Path, "in");
        Directory.CreateDirectory(inputs);
        foreach (var f in Directory.GetFiles(PubMedXmlReaderTests.Dir, "pubmedsample*.xml.gz")) File.Copy(f, Path.Combine(inputs, Path.GetFileName(f)), overwrite: true);
        return inputs;
    }

    [Fact]
    public void Predict_FolderOfPubMedGzip_PubTatorPerFileWithManifests()
    {
        string inputs = Inputs(), outDir = Path.Combine(_dir.Path, "out");
        var (code, _, err) = Run("predict", "--model", ModelDir, "--input", inputs, "--format", "pubtator", "--out", outDir);
        Assert.True(code == 0, err);
        string a = File.ReadAllText(Path.Combine(outDir, "pubmedsample18n0001-a.pubtator"));
        Assert.StartsWith("8219565|t|", a);
        Assert.DoesNotContain('\uFFFD', a);
        Assert.Equal(8, a.Split('\n').Count(l => l.Contains("|t|")));
        var manifest = JsonNode.Parse(File.ReadAllText(Manifests.UnitPath(outDir, "pubmedsample18n0001-a.pubtator")))!;
        Assert.Equal(8, manifest["documents"]!.GetValue<long>());
        Assert.Equal("roberta-tiny", Path.GetFileName(manifest["settings"]!["model"]!.GetValue<string>()));
        Assert.Equal(64, manifest["model_sha256"]?.GetValue<string>().Length ?? manifest["settings"]!["model_sha256"]!.GetValue<string>().Length);
        // Status and merge see the whole run; a rerun skips everything.
        (code, var status, _) = Run("batch", "status", outDir);
        Assert.Equal(0, code);
        Assert.Contains("3 done, 0 failed, 0 missing", status);
        Assert.DoesNotContain("shards to run again", status);
        (code, _, err) = Run("predict", "--model", ModelDir, "--input", inputs, "--format", "pubtator", "--out", outDir);
        Assert.Equal(0, code);
        Assert.Contains("0 done, 3 already complete", err);
        (code, _, err) = Run("predict", "--model", ModelDir, "--input", inputs, "--format", "bioc", "--out", outDir);
        Assert.Equal(2, code);
        Assert.Contains("format: pubtator → bioc", err);
        (code, var merged, _) = Run("batch", "merge", outDir);
        Assert.Equal(0, code);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.True(summary["complete"]!.GetValue<bool>());
        Assert.Equal(24, summary["documents"]!.GetValue<long>());
        Assert.Contains("summary:", merged);
    }

    [Fact]
    public void Predict_FolderWithBinaryFile_RefusedByNameOthersWrittenExit2()
    {
        string inputs = Inputs(), outDir = Path.Combine(_dir.Path, "out");
        File.WriteAllBytes(Path.Combine(inputs, "archive.tar"), [0x75, 0x73, 0x74, 0x61, 0x72, 0, 0, 0]);
        var (code, _, err) = Run("predict", "--model", ModelDir, "--input", inputs, "--format", "pubtator", "--out", outDir);
        Assert.Equal(2, code);
        Assert.Contains("archive.tar", err);
        Assert.Contains("binary", err);
        Assert.Equal(3, Directory.GetFiles(outDir, "*.pubtator").Length);
        (code, var status, _) = Run("batch", "status", outDir);
        Assert.Equal(1, code);
        Assert.Contains("1 failed", status);
        Assert.Equal(1, Run("batch", "merge", outDir).Code);
    }

    [Fact]
    public void Predict_Conll_WordsKeptAndPredictedColumnAdded()
    {
        string output = _dir.File("pred.conll");
        var (code, _, err) = Run("predict", "--model", ModelDir, "--input", SampleDev, "--out", output);
        Assert.True(code == 0, err);
        var gold = File.ReadAllLines(SampleDev).Where(l => l.Length > 0 && !l.StartsWith("-DOCSTART-")).ToList();
        var pred = File.ReadAllLines(output).Where(l => l.Length > 0 && !l.StartsWith("-DOCSTART-")).ToList();
        Assert.Equal(gold.Count, pred.Count);
        for (int i = 0; i < gold.Count; i++)
        {
            var g = gold[i].Split('\t', ' ');
            var p = pred[i].Split('\t');
            Assert.Equal(3, p.Length);
            Assert.Equal(g[0], p[0]);
        }
        // The file reads back as `token gold pred` for evaluate.
        (code, var report, err) = Run("evaluate", "--gold", output);
        Assert.True(code == 0, err);
        Assert.Contains("f1:", report);
    }

    [Fact]
    public void Predict_JsonlTokens_PredTagsAddedFieldsKept()
    {
        string input = _dir.Write("s.jsonl", "{\"id\": \"s1\", \"tokens\": [\"Pax6\", \"binds\", \"DNA\", \".\"], \"ner_tags\": [\"B-Protein\", \"O\", \"B-Chemical\", \"O\"], \"extra\": 5}\n" +
                                             "{\"id\": \"s2\", \"tokens\": []}\n");
        var (code, output, err) = Run("predict", "--model", ModelDir, "--input", input);
        Assert.True(code == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(4, lines[0]["pred_tags"]!.AsArray().Count);
        Assert.Equal(5, lines[0]["extra"]!.GetValue<int>());
        Assert.Empty(lines[1]["pred_tags"]!.AsArray());
    }

    [Fact]
    public void Predict_ShardWithoutFolder_ClearError()
    {
        var (code, _, err) = Run("predict", "--model", ModelDir, "--input", SampleDev, "--shard", "0/2");
        Assert.Equal(2, code);
        Assert.Contains("--out a folder", err);
        (code, _, err) = Run("predict", "--model", ModelDir, "--input", Inputs());
        Assert.Equal(2, code);
        Assert.Contains("give --out a folder", err);
        (code, _, err) = Run("predict", "--model", ModelDir, "--input", Inputs(), "--out", _dir.File("o") + "/", "--shard", "2/2");
        Assert.Equal(2, code);
        Assert.Contains("--shard", err);
    }

    [Fact]
    public void Predict_SingleBioCFileToStdout_BioCCollection()
    {
        string input = Path.Combine(PubMedXmlReaderTests.Dir, "markup-and-deletions.xml");
        var (code, output, err) = Run("predict", "--model", ModelDir, "--input", input, "--format", "bioc-json");
        Assert.True(code == 0, err);
        var root = JsonNode.Parse(output)!;
        Assert.Equal("PubMed", root["source"]!.GetValue<string>());
        Assert.Equal("90000001", root["documents"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(4, root["documents"]![0]!["passages"]!.AsArray().Count);
    }
}
