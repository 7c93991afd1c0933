using System.Diagnostics;
using System.Text;
using BioNer.Inference;
using BioNer.Literature;

namespace BioNer.Batch;

/// <summary>
/// Annotates this shard's units of a <see cref="BatchPlan"/> into an output folder: one output per unit, written
/// atomically, each with a manifest (<see cref="UnitRecord"/>). A rerun skips units whose output is complete and
/// was made with the same settings from the same input bytes; a unit killed mid-file left only a temporary file,
/// which is removed, and is done again. A bad input (corrupt gzip, broken XML, wrong encoding) is reported with its
/// file and position, recorded as failed, and the other units go on.
/// </summary>
public sealed class BatchRunner(DocumentAnnotator annotator, BatchSettings settings, TextWriter log)
{
    /// <summary>Output format.</summary>
    public EntityFormat Format { get; init; } = EntityFormat.Pubtator;

    /// <summary>Input format, or null to detect each file's.</summary>
    public InputFormat? InputFormat { get; init; }

    /// <summary>Unit of the offsets read and written.</summary>
    public OffsetUnit Offsets { get; init; } = OffsetUnit.CodePoints;

    /// <summary>Documents per annotation group (their windows share forward passes).</summary>
    public int GroupSize { get; init; } = 32;

    /// <summary>Redo units even when their output is complete (after a model or option change).</summary>
    public bool Redo { get; init; }

    /// <summary>Seconds between progress lines inside a long file.</summary>
    public double ProgressSeconds { get; init; } = 30;

    /// <summary>Runs <paramref name="shard"/>'s units of <paramref name="plan"/> into <paramref name="outDir"/>.</summary>
    /// <exception cref="BioNerException">The folder holds outputs made with other settings or another plan (and <see cref="Redo"/> is off).</exception>
    public BatchResult Run(BatchPlan plan, Shard shard, string outDir)
    {
        if (shard.Count != plan.Shards) throw new ArgumentException($"plan is for {plan.Shards} shards, not {shard.Count}", nameof(shard));
        Directory.CreateDirectory(outDir);
        CheckRun(plan, outDir);
        var mine = plan.For(shard).ToList();
        log.WriteLine($"shard {shard}: {mine.Count} of {plan.Units.Count} unit(s) -> {outDir}");
        var done = new List<UnitRecord>();
        var skipped = new List<string>();
        var failed = new List<UnitRecord>();
        for (int i = 0; i < mine.Count; i++)
        {
            var unit = mine[i];
            string output = OutputName(unit);
            string prefix = $"[{i + 1}/{mine.Count}] {output}";
            if (!Redo && IsComplete(unit, outDir, output))
            {
                skipped.Add(output);
                log.WriteLine($"{prefix}: complete, skipped");
                continue;
            }
            var record = RunUnit(unit, outDir, output, shard, prefix);
            if (record.Status == "done") done.Add(record); else failed.Add(record);
        }
        log.WriteLine($"shard {shard}: {done.Count} done, {skipped.Count} already complete, {failed.Count} failed");
        return new BatchResult(done, skipped, failed);
    }

    private string OutputName(WorkUnit unit)
    {
        var format = InputFormat is { } f && InputFiles.IsWordLevel(f) ? f : (InputFormat is null ? DetectQuietly(unit.Input) : InputFormat);
        return format switch
        {
            Literature.InputFormat.Conll => unit.OutputName(".conll"),
            Literature.InputFormat.JsonlTokens => unit.OutputName(".jsonl"),
            _ => unit.OutputName(Format == EntityFormat.Brat ? "" : EntityFormats.Extension(Format)),
        };
    }

    // Detection failures surface when the unit runs (and are recorded there); the name then uses the run's format.
    private static InputFormat? DetectQuietly(string path)
    {
        try { return InputFiles.Detect(path); }
        catch (BioNerException) { return null; }
        catch (IOException) { return null; }
    }

    // Every process records the plan it ran (one file per distinct plan: identical for the shards of one run, one per
    // job when a workflow runs a job per input file), so `bioner batch status` sees the union. Settings must agree
    // across all of them; a plan for another shard count over the same inputs would leave parts of two layouts.
    private void CheckRun(BatchPlan plan, string outDir)
    {
        var record = new RunRecord
        {
            Settings = settings, Shards = plan.Shards,
            Units = plan.Units.Select((u, i) => new RunRecord.UnitEntry(u.Input, OutputName(u), i % plan.Shards)).ToList(),
        };
        var inputs = record.Units.Select(u => u.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var (path, old) in Manifests.Plans(outDir))
        {
            var diff = old.Settings.Differences(settings);
            bool otherLayout = old.Shards != plan.Shards && old.Units.Any(u => inputs.Contains(u.Input))
                               && (old.Units.Any(u => u.Output.Contains(".part", StringComparison.Ordinal)) || record.Units.Any(u => u.Output.Contains(".part", StringComparison.Ordinal)));
            if (diff.Count == 0 && !otherLayout) continue;
            if (!Redo)
            {
                throw diff.Count > 0
                    ? new BioNerException($"{outDir} holds outputs made with other settings ({string.Join("; ", diff)}): pass --redo to annotate everything again, or choose another --out")
                    : new BioNerException($"{outDir} was planned for {old.Shards} shard(s), this run for {plan.Shards}, and files are cut into parts: " +
                                          "keep the same shard count to resume, pass --redo to start again, or choose another --out");
            }
            File.Delete(path);
        }
        Manifests.Write(Manifests.PlanPath(outDir, record), record);
    }

    private bool IsComplete(WorkUnit unit, string outDir, string output)
    {
        var m = Manifests.Read<UnitRecord>(Manifests.UnitPath(outDir, output));
        string outPath = Path.Combine(outDir, output);
        if (m is null || m.Status != "done" || m.Settings.Differences(settings).Count > 0 || m.Part != unit.Part || m.Parts != unit.Parts) return false;
        if (!File.Exists(unit.Input) || new FileInfo(unit.Input).Length != m.InputSize) return false;
        if (!(File.Exists(outPath) || Directory.Exists(outPath)) || Manifests.Size(outPath) != m.OutputSize) return false;
        return Manifests.Hash(outPath) == m.OutputSha256 && Manifests.Hash(unit.Input) == m.InputSha256;
    }

    private UnitRecord RunUnit(WorkUnit unit, string outDir, string output, Shard shard, string prefix)
    {
        string outPath = Path.Combine(outDir, output);
        RemoveStaleTemporaries(outPath);
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var counts = new Counts();
        var baseRecord = new UnitRecord
        {
            Status = "done", Input = unit.Input, Part = unit.Part, Parts = unit.Parts, Output = output, Settings = settings,
            Shard = shard.ToString(), Host = Host(), Started = started,
        };
        try
        {
            long size = new FileInfo(unit.Input).Length;
            string inputHash = Manifests.Hash(unit.Input);
            var format = InputFormat ?? InputFiles.Detect(unit.Input);
            if (InputFiles.IsWordLevel(format)) WordLevel.Annotate(annotator.Pipeline, unit, format, outPath, counts);
            else Documents(unit, format, outPath, counts, prefix, size);
            var record = baseRecord with
            {
                InputSize = size, InputSha256 = inputHash, OutputSize = Manifests.Size(outPath), OutputSha256 = Manifests.Hash(outPath),
                Documents = counts.Documents, Passages = counts.Passages, Words = counts.Words, Entities = counts.Entities,
                Deleted = counts.Deleted, Finished = DateTime.UtcNow, Seconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
            };
            Manifests.Write(Manifests.UnitPath(outDir, output), record);
            File.Delete(Manifests.UnitPath(outDir, output) + ".failed");
            double rate = counts.Documents / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
            log.WriteLine($"{prefix}: {counts.Documents:N0} documents, {counts.Words:N0} words, {counts.Entities:N0} entities" +
                          (counts.Deleted.Count > 0 ? $", {counts.Deleted.Count:N0} deleted citations reported" : "") +
                          $" in {clock.Elapsed.TotalSeconds:F1} s ({rate:F1} docs/s)");
            return record;
        }
        catch (Exception e) when (e is BioNerException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException
                                       or System.Xml.XmlException or InvalidDataException or DecoderFallbackException or FormatException)
        {
            var record = baseRecord with { Status = "failed", Error = e.Message, Finished = DateTime.UtcNow, Seconds = clock.Elapsed.TotalSeconds };
            Manifests.Write(Manifests.UnitPath(outDir, output) + ".failed", record);
            // An earlier output of this unit is not this input's any more (the input changed, or the settings did).
            File.Delete(Manifests.UnitPath(outDir, output));
            log.WriteLine($"error: {prefix}: {e.Message} (skipped; other inputs go on)");
            return record;
        }
    }

    private void Documents(WorkUnit unit, InputFormat format, string outPath, Counts counts, string prefix, long size)
    {
        using var reader = DocumentReader.Open(unit.Input, format, Offsets);
        var docs = unit.Parts == 1 ? reader.Documents : reader.Documents.Where((_, i) => i % unit.Parts == unit.Part);
        var progress = Stopwatch.StartNew();
        void Write(IDocumentWriter writer)
        {
            foreach (var d in annotator.Annotate(docs, GroupSize))
            {
                writer.Write(d);
                counts.Add(d);
                if (progress.Elapsed.TotalSeconds >= ProgressSeconds)
                {
                    string share = size > 0 && reader.Position > 0 ? $" ({100.0 * reader.Position / size:F0}% of the file)" : "";
                    log.WriteLine($"{prefix}: {counts.Documents:N0} documents so far{share}");
                    progress.Restart();
                }
            }
            writer.Complete();
        }
        DocumentWriters.WriteAtomically(outPath, Format, reader.Header, Offsets, Write);
        if (unit.Part == 0) counts.Deleted.AddRange(reader.Deleted);     // every part reads them; one reports them
    }

    // A task killed while writing leaves AtomicFile's hidden temporary sibling behind: `.NAME.PID.GUID.tmp` (a file) or
    // `.NAME.GUID.tmp|old` (a folder); only this unit writes NAME, so exactly those names are removed.
    private static void RemoveStaleTemporaries(string outPath)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(outPath))!;
        if (!Directory.Exists(dir)) return;
        string name = Path.GetFileName(outPath);
        var pattern = new System.Text.RegularExpressions.Regex("^\\." + System.Text.RegularExpressions.Regex.Escape(name) + "\\.(\\d+\\.)?[0-9a-f]{32}\\.(tmp|old)$");
        foreach (var stale in Directory.EnumerateFileSystemEntries(dir, $".{name}.*"))
        {
            if (!pattern.IsMatch(Path.GetFileName(stale))) continue;
            if (Directory.Exists(stale)) Directory.Delete(stale, recursive: true);
            else File.Delete(stale);
        }
    }

    private static string Host()
    {
        string host = Environment.MachineName;
        return Environment.GetEnvironmentVariable("SLURM_JOB_ID") is { Length: > 0 } job ? $"{host} (Slurm job {job})" : host;
    }

    /// <summary>Running totals of a unit.</summary>
    internal sealed class Counts
    {
        public long Documents, Passages, Words, Entities;
        public List<string> Deleted { get; } = [];

        public void Add(Document d)
        {
            Documents++;
            Passages += d.Passages.Count;
            foreach (var p in d.Passages) Words += Data.WordTokenizer.Tokenize(p.Text).Count;
            Entities += d.PredictedCount;
        }
    }
}
