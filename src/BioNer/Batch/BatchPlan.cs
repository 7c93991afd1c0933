namespace BioNer.Batch;

/// <summary>
/// One output file's worth of work: an input file, or one part of it when a run has more shards than files.
/// </summary>
/// <param name="Input">The input file's full path.</param>
/// <param name="Name">Its path under the input folder without extensions (<c>sub/pubmed25n0001</c>): outputs mirror it.</param>
/// <param name="Part">Which part of the file's documents (documents i with i mod Parts = Part).</param>
/// <param name="Parts">1 when the unit is the whole file.</param>
public sealed record WorkUnit(string Input, string Name, int Part, int Parts)
{
    /// <summary>The output's path under the output folder for a format with extension <paramref name="extension"/>.</summary>
    public string OutputName(string extension) => Parts == 1 ? Name + extension : $"{Name}.part{Part}-of-{Parts}{extension}";
}

/// <summary>
/// The work of a batch run, identical in every process that is given the same inputs: input files sorted by their
/// path under the input folder, one unit per file (shard i takes units i, i+N, i+2N, ... — several files per task
/// when files outnumber tasks, as over PubMed's ~1,200 baseline files with Slurm's 1,001-task array limit), or,
/// when tasks outnumber files (one huge file), each file cut into ⌈N / files⌉ parts by document position.
/// </summary>
public sealed class BatchPlan
{
    private BatchPlan(IReadOnlyList<WorkUnit> units, int shards)
    {
        Units = units;
        Shards = shards;
    }

    /// <summary>All units of the run, in plan order.</summary>
    public IReadOnlyList<WorkUnit> Units { get; }

    /// <summary>Number of shards the plan was made for.</summary>
    public int Shards { get; }

    /// <summary>The units <paramref name="shard"/> does.</summary>
    public IEnumerable<WorkUnit> For(Shard shard) => Units.Where((_, i) => i % shard.Count == shard.Index);

    /// <summary>
    /// Plans the run over <paramref name="inputs"/> (files, or folders searched recursively for files whose name matches
    /// <paramref name="include"/>; hidden files and folders, and checksum files such as the baseline's <c>.md5</c>, are
    /// skipped) for <paramref name="shards"/> shards, leaving out anything under <paramref name="outputDir"/>.
    /// </summary>
    /// <exception cref="BioNerException">A missing input, no input file at all, or two inputs that would write the same output.</exception>
    /// <param name="inputs">Files and folders.</param>
    /// <param name="shards">Shards of the run.</param>
    /// <param name="outputDir">The output folder, never read as input.</param>
    /// <param name="include">File-name pattern inside folders.</param>
    /// <param name="inputRoot">Folder the names of file inputs are made relative to (a workflow job of one file keeps its sub-folder).</param>
    public static BatchPlan Create(IReadOnlyList<string> inputs, int shards, string? outputDir = null, string include = "*", string? inputRoot = null)
    {
        string? rootFull = inputRoot is null ? null : Path.GetFullPath(inputRoot);
        string? outFull = outputDir is null ? null : Path.GetFullPath(outputDir).TrimEnd('/') + "/";
        var files = new List<(string Full, string Name)>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                string root = Path.GetFullPath(input);
                foreach (var f in Directory.EnumerateFiles(root, include, new EnumerationOptions { RecurseSubdirectories = true, MatchCasing = MatchCasing.CaseSensitive }))
                {
                    string rel = Path.GetRelativePath(root, f);
                    if (rel.Split('/').Any(p => p.StartsWith('.')) || IsChecksum(rel)) continue;
                    if (outFull is not null && Path.GetFullPath(f).StartsWith(outFull, StringComparison.Ordinal)) continue;
                    files.Add((Path.GetFullPath(f), StripExtensions(rel)));
                }
            }
            else if (File.Exists(input))
            {
                string full = Path.GetFullPath(input);
                string rel = rootFull is null ? Path.GetFileName(full) : Path.GetRelativePath(rootFull, full);
                if (rel.StartsWith("..", StringComparison.Ordinal)) throw new BioNerException($"is not under --input-root {inputRoot}", input);
                files.Add((full, StripExtensions(rel)));
            }
            else throw new BioNerException("input file or folder not found", input);
        }
        if (files.Count == 0) throw new BioNerException($"no input files{(include == "*" ? "" : $" matching {include}")} in {string.Join(", ", inputs)}");
        files.Sort((a, b) => a.Name != b.Name ? string.CompareOrdinal(a.Name, b.Name) : string.CompareOrdinal(a.Full, b.Full));
        for (int i = 1; i < files.Count; i++)
            if (files[i].Name == files[i - 1].Name)
                throw new BioNerException($"{files[i - 1].Full} and {files[i].Full} would write the same output '{files[i].Name}': rename one or run them into different --out folders");
        // Fewer files than shards: cut each file into just enough parts that every shard gets work.
        int parts = files.Count >= shards ? 1 : (shards + files.Count - 1) / files.Count;
        var units = files.SelectMany(f => Enumerable.Range(0, parts).Select(p => new WorkUnit(f.Full, f.Name, p, parts))).ToList();
        return new BatchPlan(units, shards);
    }

    private static bool IsChecksum(string path) =>
        path.EndsWith(".md5", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".sha1", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".sha256", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>a/b/pubmed25n0001.xml.gz</c> → <c>a/b/pubmed25n0001</c>; <c>x.bioc.json</c> → <c>x</c>.</summary>
    public static string StripExtensions(string relative)
    {
        string dir = Path.GetDirectoryName(relative) ?? "";
        string name = Path.GetFileName(relative);
        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) name = name[..^3];
        name = Path.GetFileNameWithoutExtension(name);
        if (name.EndsWith(".bioc", StringComparison.OrdinalIgnoreCase)) name = name[..^5];
        return dir.Length == 0 ? name : Path.Combine(dir, name);
    }
}
