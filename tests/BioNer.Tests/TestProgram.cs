namespace BioNer.Tests;

/// <summary>
/// The test assembly's entry point (xunit v3 test projects are programs): xunit's console runner, plus probes that
/// must run on a process's <em>main</em> thread, which no test method runs on (see <see cref="Native.MallocProbe"/>).
/// </summary>
public static class TestProgram
{
    public static int Main(string[] args) =>
        args is [Native.MallocProbe.Argument]
            ? Native.MallocProbe.Run()
            : Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args).GetAwaiter().GetResult();
}
