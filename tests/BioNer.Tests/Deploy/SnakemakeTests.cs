namespace BioNer.Tests.Deploy;

[Collection(SlurmCollection.Name)]
[Trait("Category", Category.Slow)]
public sealed class SnakemakeTests(LocalSlurm slurm) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Snakemake(string input, string output, string extra) =>
        $"snakemake -s {Shell.Quote(Shell.Repo("deploy/snakemake/Snakefile"))} --directory {Shell.Quote(_dir.Path)} {extra} " +
        $"--config model={Shell.Quote(Shell.Model)} input={Shell.Quote(input)} out={Shell.Quote(output)} bioner={Shell.Quote(Shell.Cli)} threads=1 mem_mb=500";

    [Fact]
    public void Snakefile_Local_OneJobPerFileThenSummary()
    {
        Requires.Program("snakemake", "apt-get install -y snakemake");
        string input = Shell.PubMedCorpus(_dir.File("in"), files: 3, perFile: 10), output = _dir.File("out");
        var (code, stdout, err) = Shell.Run(Snakemake(input, output, "--cores 2"), _dir.Path, 300);
        Assert.True(code == 0, stdout + err);
        Assert.Equal(Shell.SingleProcessRun(input, _dir.File("reference")), Shell.Outputs(output));
        Assert.Contains("\"complete\": true", File.ReadAllText(Path.Combine(output, "summary.json")));
        // A second run has nothing to do.
        (code, stdout, err) = Shell.Run(Snakemake(input, output, "--cores 2"), _dir.Path, 300);
        Assert.True(code == 0, stdout + err);
        Assert.Contains("Nothing to be done", stdout + err);
    }

    [Fact]
    public void Snakefile_ThroughSlurm_SameOutputs()
    {
        Requires.Program("snakemake", "apt-get install -y snakemake");
        slurm.Require();
        string input = Shell.PubMedCorpus(_dir.File("in"), files: 3, perFile: 10), output = _dir.File("out");
        string cluster = "--jobs 3 --latency-wait 10 --cluster " +
                         Shell.Quote("sbatch --parsable --cpus-per-task={threads} --mem={resources.mem_mb} --job-name=bioner-{rule} --output=slurm-%j.log") +
                         " --cluster-status " + Shell.Quote(Shell.Repo("deploy/snakemake/slurm-status.sh"));
        var (code, stdout, err) = slurm.Run(Snakemake(input, output, cluster), _dir.Path, 300);
        Assert.True(code == 0, stdout + err);
        Assert.NotEmpty(Directory.GetFiles(_dir.Path, "slurm-*.log"));
        Assert.Equal(Shell.SingleProcessRun(input, _dir.File("reference")), Shell.Outputs(output));
        Assert.Contains("\"complete\": true", File.ReadAllText(Path.Combine(output, "summary.json")));
    }

    [Fact]
    public void Snakefile_NativeSlurmExecutor_SameOutputs()
    {
        Requires.Program("snakemake", "apt-get install -y snakemake");
        slurm.Require();
        string input = Shell.PubMedCorpus(_dir.File("in"), files: 3, perFile: 10), output = _dir.File("out");
        // No slurm_account: Snakemake then guesses one with sacct, fails without accounting and submits without; job
        // status falls back from sacct to scontrol. At most 1 check/s (above 1 it throttles itself to one per 30 s).
        var (code, stdout, err) = slurm.Run(Snakemake(input, output, "--slurm --jobs 3 --max-status-checks-per-second 1 --default-resources slurm_partition=debug"), _dir.Path, 300);
        Assert.True(code == 0, stdout + err);
        Assert.Contains("has been submitted with SLURM jobid", stdout + err);
        Assert.Equal(Shell.SingleProcessRun(input, _dir.File("reference")), Shell.Outputs(output));
    }
}
