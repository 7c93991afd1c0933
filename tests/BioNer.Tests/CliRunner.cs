namespace BioNer.Tests;

/// <summary>Runs the `bioner` CLI in-process, as a user would from a shell, capturing what it prints.</summary>
public static class CliRunner
{
    /// <summary><c>bioner ARGS</c>: exit code, standard output and standard error.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = BioNer.Cli.Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
