using System.CommandLine;
using BioNer.Batch;

namespace BioNer.Cli.Commands;

/// <summary>
/// <c>bioner batch status|merge DIR</c>: looks across all shards of a batch run (<c>bioner predict --out DIR</c>) at
/// what is done, failed and missing, and writes one summary once it is complete. Exit code 0 when every unit is done,
/// 1 while some are missing or failed, so a workflow's final step fails until the run is whole.
/// </summary>
internal static class BatchCommand
{
    private static readonly Argument<string> Dir = new("dir") { Description = "Output folder of a batch run" };
    private static readonly Option<bool> Json = new("--json") { Description = "Print the state of every unit as JSON" };
    private static readonly Option<string?> Summary = new("--summary") { Description = "Summary file (default DIR/summary.json)" };

    /// <summary>Creates the verb and its two subcommands.</summary>
    public static Command Create()
    {
        var cmd = new Command("batch", "State and summary of a sharded `bioner predict --out DIR` run");
        var status = new Command("status", "Done, failed and missing inputs across all shards, with totals");
        status.Arguments.Add(Dir);
        status.Options.Add(Json);
        status.SetAction(parse =>
        {
            var s = BatchStatus.Read(parse.GetValue(Dir)!);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(Json))
                output.WriteLine(System.Text.Json.JsonSerializer.Serialize(s.Units.Select(u => new { u.Output, u.Input, u.Shard, u.State, u.Record?.Error }), Manifests.Json));
            else output.Write(s.Report());
            return s.Complete ? 0 : 1;
        });
        var merge = new Command("merge", "Write one summary of a run (totals, one row per output); fails while the run is incomplete");
        merge.Arguments.Add(Dir);
        merge.Options.Add(Summary);
        merge.SetAction(parse =>
        {
            var s = BatchStatus.Read(parse.GetValue(Dir)!);
            string path = s.WriteSummary(parse.GetValue(Summary));
            parse.InvocationConfiguration.Output.Write(s.Report());
            parse.InvocationConfiguration.Output.WriteLine($"summary: {path}");
            if (!s.Complete) parse.InvocationConfiguration.Error.WriteLine("error: the run is incomplete (see above); rerun the missing or failed shards, then merge again");
            return s.Complete ? 0 : 1;
        });
        cmd.Subcommands.Add(status);
        cmd.Subcommands.Add(merge);
        return cmd;
    }
}
