using System.IO.Compression;
using System.Text;
using BioNer.Tests.Literature;

namespace BioNer.Tests.Deploy;

/// <summary>
/// A real single-node Slurm cluster (Debian's slurm-wlm and munge) on localhost for the tests of this collection,
/// started with <c>deploy/slurm/local-cluster.sh</c> and stopped at the end: the deploy scripts are tested on the
/// engine they target, not on an imitation. Needs root; CI installs the packages (scripts/setup-debian.sh).
/// </summary>
public sealed class LocalSlurm : IDisposable
{
    public LocalSlurm()
    {
        Folder = Directory.CreateTempSubdirectory("bioner-slurm-").FullName;
        Available = Requires.Find("slurmctld") is not null && Requires.Find("munged") is not null && Environment.UserName == "root";
        if (!Available) return;
        var (code, output, error) = Shell.Run($"bash {Shell.Quote(Shell.Repo("deploy/slurm/local-cluster.sh"))} start {Shell.Quote(Folder)}", Folder, 60);
        Started = code == 0;
        StartError = $"{output}\n{error}";
        Environment.SetEnvironmentVariable("BIONER_TEST_SLURM_CONF", Path.Combine(Folder, "slurm.conf"));
    }

    /// <summary>The cluster's folder (config, state, logs).</summary>
    public string Folder { get; }

    /// <summary>The programs are installed and the tests run as root.</summary>
    public bool Available { get; }

    /// <summary>The daemons came up.</summary>
    public bool Started { get; }

    /// <summary>What start printed.</summary>
    public string StartError { get; } = "";

    /// <summary>Skips (fails under CI) unless the cluster runs.</summary>
    public void Require()
    {
        Requires.That(Available, "needs root and Slurm + munge (apt-get install -y slurm-wlm munge; scripts/setup-debian.sh)");
        Assert.True(Started, "deploy/slurm/local-cluster.sh start failed: " + StartError);
    }

    /// <summary>Runs a shell command with SLURM_CONF pointing at this cluster.</summary>
    public (int Code, string Out, string Err) Run(string command, string workingDir, int timeoutSeconds = 300) =>
        Shell.Run($"export SLURM_CONF={Shell.Quote(Path.Combine(Folder, "slurm.conf"))}; {command}", workingDir, timeoutSeconds);

    public void Dispose()
    {
        if (Available && Started)
        {
            Run("scancel --user=root 2>/dev/null || true", Folder, 30);
            Shell.Run($"bash {Shell.Quote(Shell.Repo("deploy/slurm/local-cluster.sh"))} stop {Shell.Quote(Folder)}", Folder, 60);
        }
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class SlurmCollection : ICollectionFixture<LocalSlurm>
{
    public const string Name = "Local Slurm cluster";
}

/// <summary>Shell helpers for the deploy tests.</summary>
internal static class Shell
{
    /// <summary>The CLI as a program (the apphost next to the test assembly), what a cluster job runs.</summary>
    public static string Cli => Path.Combine(AppContext.BaseDirectory, "BioNer.Cli");

    public static string Model => Path.Combine(AppContext.BaseDirectory, "fixtures", "roberta-tiny");

    public static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    /// <summary>A path inside the repository, found by walking up from the test binary.</summary>
    public static string Repo(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string p = Path.Combine(dir.FullName, relative);
            if (File.Exists(p) || Directory.Exists(p)) return p;
        }
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }

    /// <summary><c>bash -c COMMAND</c> through <see cref="ProcessRunner"/> (USER set: Snakemake's Slurm executor reads it).</summary>
    public static (int Code, string Out, string Err) Run(string command, string workingDir, int timeoutSeconds) =>
        ProcessRunner.RunAsync("bash", ["-c", command], workingDir,
            new Dictionary<string, string?> { ["USER"] = Environment.UserName }, TimeSpan.FromSeconds(timeoutSeconds)).GetAwaiter().GetResult();

    /// <summary>
    /// A corpus of <paramref name="files"/> PubMed baseline-style gzip files of <paramref name="perFile"/> citations each,
    /// made from the real sample citations with fresh PMIDs (so every document is distinct).
    /// </summary>
    public static string PubMedCorpus(string dir, int files, int perFile)
    {
        Directory.CreateDirectory(dir);
        string sample;
        using (var gz = new GZipStream(File.OpenRead(Path.Combine(PubMedXmlReaderTests.Dir, "pubmedsample18n0001-a.xml.gz")), CompressionMode.Decompress))
        using (var r = new StreamReader(gz)) sample = r.ReadToEnd();
        int start = sample.IndexOf("<PubmedArticle>", StringComparison.Ordinal), end = sample.LastIndexOf("</PubmedArticleSet>", StringComparison.Ordinal);
        var articles = sample[start..end].Split("</PubmedArticle>", StringSplitOptions.RemoveEmptyEntries)
            .Where(a => a.Contains("<PMID", StringComparison.Ordinal)).Select(a => a + "</PubmedArticle>\n").ToList();
        int pmid = 30000000;
        for (int f = 0; f < files; f++)
        {
            var sb = new StringBuilder(sample[..start]);
            for (int i = 0; i < perFile; i++)
            {
                string a = articles[i % articles.Count];
                int open = a.IndexOf("<PMID", StringComparison.Ordinal), close = a.IndexOf("</PMID>", open, StringComparison.Ordinal);
                int gt = a.IndexOf('>', open);
                sb.Append(a[..(gt + 1)]).Append(pmid++).Append(a[close..]);
            }
            sb.Append("</PubmedArticleSet>\n");
            using var output = new GZipStream(File.Create(Path.Combine(dir, $"pubmed25n{f + 1:D4}.xml.gz")), CompressionLevel.Fastest);
            output.Write(Encoding.UTF8.GetBytes(sb.ToString()));
        }
        return dir;
    }

    /// <summary>The reference a distributed run must equal: one in-process `bioner predict` over the same inputs, as PubTator.</summary>
    public static SortedDictionary<string, string> SingleProcessRun(string input, string outDir)
    {
        var (code, _, err) = CliRunner.Run("predict", "--model", Model, "--input", input, "--out", outDir + "/", "--format", "pubtator");
        Assert.True(code == 0, err);
        return Outputs(outDir);
    }

    /// <summary>Output files of a run folder (manifests, temporaries and summaries left out), name → content.</summary>
    public static SortedDictionary<string, string> Outputs(string dir) =>
        new(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(dir, f).StartsWith('.') && !Path.GetFileName(f).StartsWith('.') && Path.GetFileName(f) != "summary.json")
            .ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllText), StringComparer.Ordinal);
}
