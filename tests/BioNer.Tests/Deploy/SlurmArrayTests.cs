using System.Diagnostics;
namespace BioNer.Tests.Deploy;

[Collection(SlurmCollection.Name)]
[Trait("Category", Category.Slow)]
public sealed class SlurmArrayTests(LocalSlurm slurm) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Sbatch(int shards, string array, string input, string output, bool wait) =>
        $"SHARDS={shards} BIONER={Shell.Quote(Shell.Cli)} sbatch --parsable {(wait ? "--wait " : "")}--array={array} --cpus-per-task=1 --mem-per-cpu=500M " +
        $"{Shell.Quote(Shell.Repo("deploy/slurm/annotate.sbatch"))} {Shell.Quote(Shell.Model)} {Shell.Quote(input)} {Shell.Quote(output)} --format pubtator";

    [Fact]
    public void Array_TwoTasksOverFourFiles_MergedOutputEqualsSingleProcessRun()
    {
        slurm.Require();
        string input = Shell.PubMedCorpus(_dir.File("in"), files: 4, perFile: 20), output = _dir.File("out");
        var (code, stdout, err) = slurm.Run(Sbatch(2, "0-1", input, output, wait: true), _dir.Path, 180);
        Assert.True(code == 0, $"sbatch: {stdout}\n{err}\n{Logs()}");
        Assert.Equal(Shell.SingleProcessRun(input, _dir.File("reference")), Shell.Outputs(output));
        (code, var status, _) = CliRunner.Run("batch", "merge", output);
        Assert.True(code == 0, status);
        Assert.Contains("4 done, 0 failed, 0 missing", status);
        Assert.Contains("shard 0/2", Logs());
        Assert.Contains("shard 1/2", Logs());
    }

    [Fact]
    public void Array_TaskCancelledMidway_ResubmittedTaskFinishesNothingLostOrDoubled()
    {
        slurm.Require();
        string input = Shell.PubMedCorpus(_dir.File("in"), files: 6, perFile: 150), output = _dir.File("out");
        var (code, job, err) = slurm.Run(Sbatch(2, "0-1", input, output, wait: false), _dir.Path, 60);
        Assert.True(code == 0, err);
        job = job.Trim();
        // Cancel task 1 once it has finished its first file (so it is inside its second).
        var clock = Stopwatch.StartNew();
        while (!Directory.Exists(Path.Combine(output, ".manifest")) ||
               !Directory.EnumerateFiles(Path.Combine(output, ".manifest"), "pubmed25n0002.pubtator.json").Any())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "task 1 wrote no output in 120 s\n" + Logs());
            Thread.Sleep(100);
        }
        Assert.Equal(0, slurm.Run($"scancel {job}_1", _dir.Path, 30).Code);
        WaitUntilGone(job);
        var (_, status, _) = CliRunner.Run("batch", "status", output);
        Assert.Contains("pubmed25n0002", string.Join(" ", Directory.GetFiles(output).Select(Path.GetFileName)));
        Assert.Matches(@"shards to run again: 1\b", status);
        // Resubmit only the cancelled id, with the run's shard count.
        (code, _, err) = slurm.Run(Sbatch(2, "1", input, output, wait: true), _dir.Path, 180);
        Assert.True(code == 0, err + Logs());
        var outputs = Shell.Outputs(output);
        Assert.Equal(6, outputs.Count);
        Assert.Equal(Shell.SingleProcessRun(input, _dir.File("reference")), outputs);
        Assert.Empty(Directory.GetFiles(output, ".*.tmp"));
        (code, status, _) = CliRunner.Run("batch", "status", output);
        Assert.True(code == 0, status);
        Assert.Contains("900 documents", status);
        Assert.Contains("already complete", Logs());
    }

    private void WaitUntilGone(string job)
    {
        var clock = Stopwatch.StartNew();
        while (slurm.Run($"squeue -h -j {job} -o %i", _dir.Path, 30).Out.Trim().Length > 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "array job did not end");
            Thread.Sleep(200);
        }
    }

    private string Logs() => string.Join("\n", Directory.GetFiles(_dir.Path, "bioner-annotate-*.log").Order().Select(f => $"== {f}\n{File.ReadAllText(f)}"));
}
