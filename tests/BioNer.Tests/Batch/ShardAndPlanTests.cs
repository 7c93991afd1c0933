using System.Collections;
using BioNer.Batch;

namespace BioNer.Tests.Batch;

public class ShardAndPlanTests
{
    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/4", 3, 4)]
    public void Parse_KOverN(string spec, int k, int n) => Assert.Equal(new Shard(k, n), Shard.Parse(spec));

    [Theory]
    [InlineData("4/4")]
    [InlineData("1/0")]
    [InlineData("-1/3")]
    [InlineData("two")]
    public void Parse_Invalid_NamesOption(string spec) => Assert.Contains("--shard", Assert.Throws<BioNerException>(() => Shard.Parse(spec)).Message);

    [Fact]
    public void ParseAuto_SlurmArrayVariables()
    {
        Assert.Equal(new Shard(2, 5), Shard.Parse("auto", new Hashtable { ["SLURM_ARRAY_TASK_ID"] = "3", ["SLURM_ARRAY_TASK_MIN"] = "1", ["SLURM_ARRAY_TASK_COUNT"] = "5" }));
        Assert.Equal(new Shard(7, 10), Shard.Parse("auto", new Hashtable { ["SLURM_ARRAY_TASK_ID"] = "7", ["SLURM_ARRAY_TASK_MIN"] = "0", ["SLURM_ARRAY_TASK_MAX"] = "9" }));
        Assert.Equal(Shard.All, Shard.Parse("auto", new Hashtable()));
        Assert.Throws<BioNerException>(() => Shard.Parse("auto", new Hashtable
        {
            ["SLURM_ARRAY_TASK_ID"] = "4", ["SLURM_ARRAY_TASK_MIN"] = "0", ["SLURM_ARRAY_TASK_COUNT"] = "5", ["SLURM_ARRAY_TASK_STEP"] = "2",
        }));
    }

    [Fact]
    public void Plan_ManyFilesFewShards_EveryFileOnceAndBalanced()
    {
        using var dir = new TempDir();
        for (int i = 0; i < 2500; i++) dir.Write($"pubmed25n{i:D4}.xml", "");
        var plan = BatchPlan.Create([dir.Path], 1000);
        var byShard = Enumerable.Range(0, 1000).Select(k => plan.For(new Shard(k, 1000)).ToList()).ToList();
        Assert.Equal(2500, byShard.Sum(s => s.Count));
        Assert.Equal(2500, byShard.SelectMany(s => s).Select(u => u.Input).Distinct().Count());
        Assert.InRange(byShard.Max(s => s.Count) - byShard.Min(s => s.Count), 0, 1);
        Assert.Equal("pubmed25n0000", plan.Units[0].Name);
    }

    [Fact]
    public void Plan_BaselineFolder_ChecksumsAndHiddenSkippedIncludeFilters()
    {
        using var dir = new TempDir();
        dir.Write("pubmed25n0001.xml.gz", "");
        dir.Write("pubmed25n0001.xml.gz.md5", "MD5(pubmed25n0001.xml.gz)= 0");
        dir.Write(".listing", "");
        dir.Write("README.txt", "");
        Assert.Equal(["README", "pubmed25n0001"], BatchPlan.Create([dir.Path], 1).Units.Select(u => u.Name));
        Assert.Equal(["pubmed25n0001"], BatchPlan.Create([dir.Path], 1, include: "*.xml.gz").Units.Select(u => u.Name));
        Assert.Contains("matching *.json", Assert.Throws<BioNerException>(() => BatchPlan.Create([dir.Path], 1, include: "*.json")).Message);
    }

    [Fact]
    public void Plan_SameStemTwice_ClearError()
    {
        using var dir = new TempDir();
        dir.Write("a.xml", "");
        dir.Write("a.pubtator", "");
        var e = Assert.Throws<BioNerException>(() => BatchPlan.Create([dir.Path], 1));
        Assert.Contains("same output", e.Message);
    }

    [Fact]
    public void Plan_MissingInput_NamesIt() =>
        Assert.Contains("nope.xml", Assert.Throws<BioNerException>(() => BatchPlan.Create(["nope.xml"], 1)).Message);
}
