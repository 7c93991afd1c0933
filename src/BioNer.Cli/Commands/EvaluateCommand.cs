using System.CommandLine;

namespace BioNer.Cli.Commands;

/// <summary><c>bioner evaluate</c>: scores predicted labels against gold labels (seqeval-exact).</summary>
internal static class EvaluateCommand
{
    /// <summary>Creates the verb with its options.</summary>
    public static Command Create()
    {
        var cmd = new Command("evaluate", "Entity-level precision/recall/F1 (seqeval) and token accuracy of predictions against gold labels");
        var gold = new Option<FileInfo>("--gold") { Description = "Gold corpus file", Required = true };
        cmd.Options.Add(gold);
        cmd.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.WriteLine(parse.GetValue(gold)!.FullName);
            return 0;
        });
        return cmd;
    }
}
