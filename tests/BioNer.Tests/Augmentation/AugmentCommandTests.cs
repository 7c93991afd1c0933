using BioNer.Data;
using static BioNer.Tests.CliRunner;

namespace BioNer.Tests.Augmentation;

public sealed class AugmentCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bioner-aug-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string TrainFile()
    {
        string path = Path.Combine(_dir, "train.conll");
        var lines = new List<string>();
        for (int i = 0; i < 50; i++)
            lines.AddRange(["Water\tB-Chemical", "enters\tO", "the\tO", "nucleus\tB-Gene", ".\tO", ""]);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Augment_MentionReplacementConcat_WritesOriginalThenCopiesAndReport()
    {
        string train = TrainFile(), output = Path.Combine(_dir, "aug.conll");
        string obo = AugTestData.Fixture("mini.obo");
        var (code, stdout, stderr) = Run("augment", "--in", train, "--out", output, "--ratio", "0.5", "--seed", "7", "--concat",
            "--terms", $"Chemical={obo}:CHEBI:", $"Gene={obo}:cellular_component");
        Assert.True(code == 0, stderr);
        var corpus = CorpusIO.Read(output);
        Assert.Equal(100, corpus.Sentences.Count);
        Assert.All(corpus.Sentences.Take(50), s => Assert.Equal("Water enters the nucleus .", string.Join(" ", s.Words)));
        int changed = corpus.Sentences.Skip(50).Count(s => string.Join(" ", s.Words) != "Water enters the nucleus .");
        Assert.InRange(changed, 25, 50);
        Assert.Contains("Chemical", stdout);
        Assert.Contains("Gene", stdout);
        Assert.Contains("wrote 100 sentences", stdout);
    }

    [Fact]
    public void Augment_SameSeedTwice_IdenticalFiles()
    {
        string train = TrainFile(), a = Path.Combine(_dir, "a.conll"), b = Path.Combine(_dir, "b.conll");
        Assert.Equal(0, Run("augment", "--in", train, "--out", a, "--method", "sis", "--ratio", "0.5").Code);
        Assert.Equal(0, Run("augment", "--in", train, "--out", b, "--method", "sis", "--ratio", "0.5").Code);
        Assert.Equal(File.ReadAllText(a), File.ReadAllText(b));
    }

    [Theory]
    [InlineData("--ratio", "1.5", "--ratio")]
    [InlineData("--copies", "0", "--copies")]
    [InlineData("--method", "eda", "--method")]
    public void Augment_BadOption_ExitsTwoNamingIt(string option, string value, string named)
    {
        var (code, _, stderr) = Run("augment", "--in", TrainFile(), "--out", Path.Combine(_dir, "o.conll"), "--terms", "harvest", option, value);
        Assert.Equal(2, code);
        Assert.Contains(named, stderr);
    }

    [Fact]
    public void Augment_MentionReplacementWithoutTerms_ExitsTwo()
    {
        var (code, _, stderr) = Run("augment", "--in", TrainFile(), "--out", Path.Combine(_dir, "o.conll"));
        Assert.Equal(2, code);
        Assert.Contains("--terms", stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "o.conll")));
    }

    [Fact]
    public void Augment_MalformedObo_ExitsTwoWithFileAndLine()
    {
        string bad = AugTestData.Fixture("malformed.obo");
        var (code, _, stderr) = Run("augment", "--in", TrainFile(), "--out", Path.Combine(_dir, "o.conll"), "--terms", $"Chemical={bad}");
        Assert.Equal(2, code);
        Assert.Contains($"{bad}:9:", stderr);
    }
}
