using System.Text;
using BioNer.IO;

namespace BioNer.Batch;

/// <summary>The state of one planned unit of a batch run.</summary>
/// <param name="Output">Output path under the output folder.</param>
/// <param name="Input">Input file.</param>
/// <param name="Shard">Shard that does it.</param>
/// <param name="State"><c>done</c>, <c>failed</c> or <c>missing</c>.</param>
/// <param name="Record">Its manifest (done) or failure record (failed).</param>
public sealed record UnitState(string Output, string Input, int Shard, string State, UnitRecord? Record);

/// <summary>
/// Reads an output folder's manifests: which units of the plan are done, failed or missing, across all shards, and
/// the totals (<c>bioner batch status</c>); <see cref="WriteSummary"/> writes them as one JSON file (<c>bioner batch merge</c>).
/// A unit counts as done only when its manifest exists and its output is present with the recorded size.
/// </summary>
public sealed class BatchStatus
{
    private BatchStatus(string outDir, RunRecord run, IReadOnlyList<UnitState> units)
    {
        OutDir = outDir;
        Run = run;
        Units = units;
    }

    /// <summary>The output folder.</summary>
    public string OutDir { get; }

    /// <summary>The run record (settings and plan).</summary>
    public RunRecord Run { get; }

    /// <summary>Every planned unit, in plan order.</summary>
    public IReadOnlyList<UnitState> Units { get; }

    /// <summary>True when every unit is done.</summary>
    public bool Complete => Units.All(u => u.State == "done");

    /// <summary>Reads <paramref name="outDir"/>.</summary>
    /// <exception cref="BioNerException">The folder has no run record (no batch run wrote it).</exception>
    public static BatchStatus Read(string outDir)
    {
        var plans = Manifests.Plans(outDir).Select(p => p.Plan).ToList();
        if (plans.Count == 0)
            throw new BioNerException($"no batch plan ({Manifests.Folder}/plan-*.json): not an output folder of `bioner predict --out DIR`", outDir);
        var planned = plans.SelectMany(p => p.Units).GroupBy(u => u.Output, StringComparer.Ordinal).Select(g => g.First())
            .OrderBy(u => u.Output, StringComparer.Ordinal).ToList();
        var run = plans[0] with { Units = planned, Shards = plans.Max(p => p.Shards) };
        var units = planned.Select(u =>
        {
            var done = Manifests.Read<UnitRecord>(Manifests.UnitPath(outDir, u.Output));
            string path = Path.Combine(outDir, u.Output);
            bool present = File.Exists(path) || Directory.Exists(path);
            if (done is { Status: "done" } && present && Manifests.Size(path) == done.OutputSize && done.Settings.Differences(run.Settings).Count == 0)
                return new UnitState(u.Output, u.Input, u.Shard, "done", done);
            var failed = Manifests.Read<UnitRecord>(Manifests.UnitPath(outDir, u.Output) + ".failed");
            return failed is not null ? new UnitState(u.Output, u.Input, u.Shard, "failed", failed) : new UnitState(u.Output, u.Input, u.Shard, "missing", null);
        }).ToList();
        return new BatchStatus(outDir, run, units);
    }

    /// <summary>A human-readable report: totals, then every unit that is not done (with its error).</summary>
    public string Report()
    {
        var sb = new StringBuilder();
        var done = Units.Where(u => u.State == "done").ToList();
        int failed = Units.Count(u => u.State == "failed"), missing = Units.Count(u => u.State == "missing");
        sb.AppendLine($"{OutDir}: {Units.Count} unit(s) over {Run.Shards} shard(s): {done.Count} done, {failed} failed, {missing} missing");
        sb.AppendLine($"model {Run.Settings.Model} ({Run.Settings.ModelSha256[..Math.Min(12, Run.Settings.ModelSha256.Length)]}), format {Run.Settings.Format}, runtime {Run.Settings.Runtime}");
        long docs = done.Sum(u => u.Record!.Documents), words = done.Sum(u => u.Record!.Words), entities = done.Sum(u => u.Record!.Entities);
        double seconds = done.Sum(u => u.Record!.Seconds);
        sb.AppendLine($"done: {docs:N0} documents, {words:N0} words, {entities:N0} entities, {done.Sum(u => u.Record!.Deleted.Count):N0} deleted citations; " +
                      $"{seconds / 3600:F2} task-hours ({(seconds > 0 ? docs / seconds : 0):F1} docs/s per task)");
        foreach (var u in Units.Where(u => u.State != "done"))
            sb.AppendLine($"  {u.State,-7} shard {u.Shard,-4} {u.Output}" + (u.Record?.Error is { } e ? $": {e}" : ""));
        var rerun = Units.Where(u => u.State != "done").Select(u => u.Shard).Distinct().Order().ToList();
        if (rerun.Count > 0 && Run.Shards > 1)
            sb.AppendLine($"shards to run again: {string.Join(",", rerun)} (e.g. SHARDS={Run.Shards} sbatch --array={string.Join(",", rerun)} deploy/slurm/annotate.sbatch ...)");
        return sb.ToString();
    }

    /// <summary>Writes <paramref name="path"/> (default <c>OUT/summary.json</c>): settings, totals and one row per unit.</summary>
    public string WriteSummary(string? path = null)
    {
        path ??= Path.Combine(OutDir, "summary.json");
        var done = Units.Where(u => u.State == "done").Select(u => u.Record!).ToList();
        var summary = new
        {
            Complete,
            Run.Settings,
            Run.Shards,
            Units = Units.Count,
            Done = done.Count,
            Failed = Units.Count(u => u.State == "failed"),
            Missing = Units.Count(u => u.State == "missing"),
            Documents = done.Sum(r => r.Documents),
            Passages = done.Sum(r => r.Passages),
            Words = done.Sum(r => r.Words),
            Entities = done.Sum(r => r.Entities),
            DeletedCitations = done.Sum(r => r.Deleted.Count),
            TaskSeconds = Math.Round(done.Sum(r => r.Seconds), 3),
            Outputs = Units.Select(u => new
            {
                u.Output, u.Input, u.Shard, u.State, u.Record?.Documents, u.Record?.Entities, u.Record?.OutputSha256, u.Record?.Error,
            }),
        };
        AtomicFile.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(summary, Manifests.Json) + "\n");
        return path;
    }
}
