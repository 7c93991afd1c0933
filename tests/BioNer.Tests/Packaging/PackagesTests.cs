using BioNer.Tests.Modeling;

namespace BioNer.Tests.Packaging;

/// <summary>
/// What a user outside this repository gets: <c>dotnet pack</c> makes the <c>bioner</c> tool package and the
/// <c>BioNer.Core</c> library package into a local feed; the tool is installed into a temporary tool path and a console
/// project (tests/consumer, copied out of the repository so none of its build settings apply) references the library
/// from that feed. Each predicts on a sentence with the roberta-tiny fixture — which needs libtorch's bridge to load, on
/// Debian 12 only thanks to the patch the packages carry. One test: packing is the slow part and is shared.
/// </summary>
[Trait("Category", Category.Slow)]
public sealed class PackagesTests
{
    private const string Sentence = "BRCA1 carriers took aspirin.";

    private static readonly Dictionary<string, string?> Quiet = new()
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1", ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        // The test host's MSBuild settings must not leak into the child builds.
        ["MSBuildSDKsPath"] = null, ["MSBuildExtensionsPath"] = null, ["MSBUILD_EXE_PATH"] = null,
    };

    [Fact]
    public async Task Pack_ToolAndLibrary_InstallFromLocalFeedAndPredict()
    {
        string version = $"0.0.0-ci.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        using var work = new TempDir();
        string feed = Path.Combine(work.Path, "feed");
        var timeout = TimeSpan.FromMinutes(15);
        try
        {
            foreach (string project in new[] { "src/BioNer.Cli", "src/BioNer" })
                await ProcessRunner.RunOkAsync(ProcessRunner.Dotnet, ["pack", project, "-c", "Release", "-o", feed, $"-p:Version={version}", "-v", "q"],
                    TestPaths.RepoRoot, Quiet, timeout);
            Assert.True(File.Exists(Path.Combine(feed, $"bioner.{version}.nupkg")), "no bioner tool package");
            Assert.True(File.Exists(Path.Combine(feed, $"BioNer.Core.{version}.nupkg")), "no BioNer.Core library package");

            // The tool, as `dotnet tool install --global bioner --add-source DIR` would install it (here: a tool path).
            string tools = Path.Combine(work.Path, "tools");
            await ProcessRunner.RunOkAsync(ProcessRunner.Dotnet, ["tool", "install", "bioner", "--tool-path", tools, "--add-source", feed, "--version", version],
                work.Path, Quiet, timeout);
            string predicted = await ProcessRunner.RunOkAsync(Path.Combine(tools, "bioner"), ["predict", "--model", ModelTestData.TinyDir, Sentence],
                work.Path, Quiet);
            Assert.Contains("\"start\"", predicted);

            // The library, from a project outside the repository.
            string consumer = Path.Combine(work.Path, "consumer");
            Directory.CreateDirectory(consumer);
            foreach (string file in new[] { "Consumer.csproj", "Program.cs" })
                File.Copy(Path.Combine(TestPaths.RepoRoot, "tests", "consumer", file), Path.Combine(consumer, file));
            File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration><packageSources><add key="bioner-local" value="{feed}" /></packageSources></configuration>
                """);
            await ProcessRunner.RunOkAsync(ProcessRunner.Dotnet, ["build", $"-p:BioNerVersion={version}", "-v", "q"], consumer, Quiet, timeout);
            string output = await ProcessRunner.RunOkAsync(ProcessRunner.Dotnet, ["run", "--no-build", "--", ModelTestData.TinyDir, Sentence],
                consumer, Quiet, timeout);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.NotEmpty(lines);
            Assert.All(lines, l => Assert.Equal(5, l.Split('\t').Length));
            Assert.Contains(lines, l => l.Split('\t')[3] == "BRCA1" || l.Split('\t')[3] == "aspirin");
        }
        finally
        {
            // The packages went into NuGet's global folder under a version no one else uses: leave no trace there.
            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                              ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            foreach (string id in new[] { "bioner", "bioner.core" })
            {
                string cached = Path.Combine(packages, id, version);
                if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
            }
        }
    }
}
