using System.Text.Json;
using BioNer.Cli;
using BioNer.Data;
using BioNer.Tests.Data;
using static BioNer.Tests.CliRunner;

namespace BioNer.Tests.Translation;

public class TranslateCommandTests
{
    [Fact]
    public void Translate_CommandBackend_WritesCorpusReportAndCache()
    {
        using var dir = new TempDir();
        string input = dir.File("en.conll"), output = dir.File("es.jsonl");
        CorpusIO.Write(new Corpus([Fakes.S("The aspirin/B-Chemical dose is high ."), Fakes.S("Take aspirin/B-Chemical .")]), input);
        string script = dir.Write("mt.sh", "sed -e 's/aspirin/aspirina/g' -e 's/The /La /' -e 's/Take /Tome /'\n");
        var (code, stdout, stderr) = Run("translate", "--in", input, "--out", output, "--backend", $"command:bash {script}", "--batch", "1");
        Assert.True(code == 0, stderr);
        var translated = CorpusIO.Read(output);
        Assert.Equal(["La aspirina/B-Chemical dose is high .", "Tome aspirina/B-Chemical ."],
            translated.Sentences.Select(s => Fakes.Render(s.Words, s.Labels)));
        Assert.Contains("sentences: 2 in, 2 kept", stdout);
        Assert.Contains("translated 2/2 texts", stderr);
        using var report = JsonDocument.Parse(File.ReadAllText(output + ".report.json"));
        Assert.Equal(2, report.RootElement.GetProperty("entities_projected").GetInt32());
        Assert.Equal(2, File.ReadAllLines(output + ".cache.jsonl").Length);

        // A re-run answers everything from the cache (same backend spec), even though the program would now fail.
        dir.Write("mt.sh", "exit 1\n");
        (code, stdout, stderr) = Run("translate", "--in", input, "--out", output, "--backend", $"command:bash {script}",
            "--cache", output + ".cache.jsonl");
        Assert.True(code == 0, stderr);
        Assert.Contains("2 from cache, 0 requests", stdout);
    }

    [Fact]
    public void Translate_FailingBackend_ExitsTwoWithMessage()
    {
        using var dir = new TempDir();
        string input = dir.File("en.conll");
        CorpusIO.Write(new Corpus([Fakes.S("The aspirin/B-Chemical dose .")]), input);
        string script = dir.Write("mt.sh", "echo 'no model' >&2; exit 4\n");
        var (code, _, stderr) = Run("translate", "--in", input, "--out", dir.File("es.conll"), "--backend", $"command:bash {script}", "--no-cache");
        Assert.Equal(2, code);
        Assert.Contains("exited with code 4", stderr);
        Assert.Contains("no model", stderr);
        Assert.False(File.Exists(dir.File("es.conll")));
    }

    [Fact]
    public void Translate_UnknownBackend_ExitsTwo()
    {
        using var dir = new TempDir();
        string input = dir.File("en.conll");
        CorpusIO.Write(new Corpus([Fakes.S("x")]), input);
        var (code, _, stderr) = Run("translate", "--in", input, "--out", dir.File("o.conll"), "--backend", "google:x");
        Assert.Equal(2, code);
        Assert.Contains("--backend", stderr);
    }
}
