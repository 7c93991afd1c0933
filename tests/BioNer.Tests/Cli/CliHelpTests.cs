using System.CommandLine;
using BioNer.Cli;
using static BioNer.Tests.CliRunner;

namespace BioNer.Tests.Cli;

/// <summary>Help and usage name the command <c>bioner</c>, never the assembly (<c>BioNer.Cli</c>) or the test host.</summary>
public class CliHelpTests
{
    /// <summary>Every verb and sub-verb, as the words typed after <c>bioner</c> ("train", "data stats", ...).</summary>
    public static TheoryData<string> CommandPaths()
    {
        var data = new TheoryData<string>();
        void Walk(Command c, string path)
        {
            foreach (var sub in c.Subcommands)
            {
                string p = path.Length == 0 ? sub.Name : $"{path} {sub.Name}";
                data.Add(p);
                Walk(sub, p);
            }
        }
        Walk(Program.BuildRoot(), "");
        return data;
    }

    [Fact]
    public void Help_Root_UsageSaysBioner()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("Usage:\n  bioner [command] [options]", output.Replace("\r\n", "\n"));
        Assert.DoesNotContain("BioNer.Cli", output);
    }

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public void Help_EveryVerb_UsageSaysBioner(string path)
    {
        var (code, output, _) = Run([.. path.Split(' '), "--help"]);
        Assert.Equal(0, code);
        Assert.Contains($"Usage:\n  bioner {path}", output.Replace("\r\n", "\n"));
        Assert.DoesNotContain("BioNer.Cli", output);
        Assert.DoesNotContain("testhost", output);
    }

    [Fact]
    public void ParseError_UnknownOption_UsageSaysBioner()
    {
        var (code, output, err) = Run("train", "--no-such-flag");
        Assert.Equal(1, code);
        Assert.Contains("--no-such-flag", err);
        Assert.Contains("bioner train [options]", output + err);
    }

    [Fact]
    public async Task Help_DotnetBioNerCliDll_UsageSaysBioner()
    {
        // The same binary `./bioner` (dotnet run) and `dotnet BioNer.Cli.dll` start, in its own process.
        string dll = Path.Combine(AppContext.BaseDirectory, "BioNer.Cli.dll");
        string output = await ProcessRunner.RunOkAsync(ProcessRunner.Dotnet, [dll, "evaluate", "--help"]);
        Assert.Contains("bioner evaluate [options]", output);
        Assert.DoesNotContain("BioNer.Cli", output);
    }

    [Fact]
    public void Version_Root_PrintsAVersion()
    {
        var (code, output, _) = Run("--version");
        Assert.Equal(0, code);
        Assert.Matches(@"^\d+\.\d+", output);
    }
}
