using System.Diagnostics;

namespace BioNer.Tests;

/// <summary>Runs another program (dotnet, node, an installed tool) and captures what it prints, for tests that need a
/// separate process: a fresh main thread, a real client from another ecosystem, an installed package.</summary>
public static class ProcessRunner
{
    /// <summary>The dotnet host running these tests (what <c>dotnet test</c> sets), else <c>dotnet</c> on PATH.</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary><c>FILE ARGS</c> in <paramref name="workingDirectory"/>, with <paramref name="environment"/> changes
    /// (a null value removes the variable); fails the test when it runs past <paramref name="timeout"/>.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(string file, IEnumerable<string> args,
        string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (string a in args) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) psi.Environment.Remove(name);
            else psi.Environment[name] = value;
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} ran past {timeout ?? TimeSpan.FromMinutes(2)}");
        }
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>As <see cref="RunAsync"/>, failing the test (with its output) unless the exit code is 0; returns stdout.</summary>
    public static async Task<string> RunOkAsync(string file, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var (code, output, error) = await RunAsync(file, args, workingDirectory, environment, timeout);
        Assert.True(code == 0, $"{file} {string.Join(' ', args)} exited {code}:\n{output}\n{error}");
        return output;
    }
}
