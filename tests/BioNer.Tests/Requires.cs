namespace BioNer.Tests;

/// <summary>
/// Preconditions of a test on its environment (a program installed, an OS, a CPU), checked at the top of the test.
/// Why: a test that returns early when something is absent counts as passed and hides that it never ran. These calls
/// end the test as <b>skipped</b> instead (xunit v3 <see cref="Assert.Skip"/>), with the reason in the run's report —
/// and, where the environment variable <c>CI</c> is <c>true</c> (what <c>.ci/run</c> sets up), they <b>fail</b> it:
/// CI installs everything the suite needs (<c>scripts/setup-debian.sh</c>), so a skip there means the setup broke.
/// <code>
/// Requires.Program("chromium");                                   // on PATH (or an absolute path that exists)
/// Requires.That(OperatingSystem.IsLinux(), "glibc's malloc is Linux-only");
/// Requires.That(MklCpuDispatch.CpuVendor() == "AuthenticAMD", "the MKL override only acts on AMD", ciMustRun: false);
/// </code>
/// Use <c>ciMustRun: false</c> for conditions CI cannot install (the CPU vendor, the OS); they stay skips everywhere.
/// </summary>
public static class Requires
{
    /// <summary>True when the run is CI's (<c>CI=true</c>, case-insensitive, as GitHub/GitLab and <c>.ci/run</c> set it).</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Skips the test unless <paramref name="condition"/> holds; under CI fails it instead when <paramref name="ciMustRun"/>.
    /// <paramref name="reason"/> says what is missing and how to get it (it is shown in the test report).
    /// </summary>
    public static void That(bool condition, string reason, bool ciMustRun = true)
    {
        if (condition) return;
        if (ciMustRun && InCi) Assert.Fail($"CI=true, so this test must run, but: {reason}");
        Assert.Skip(reason);
    }

    /// <summary>
    /// Requires an executable: an absolute path that exists, or a name found on <c>PATH</c>. Returns its full path.
    /// <paramref name="install"/> is the hint shown when it is missing (default: the Debian package of the same name).
    /// </summary>
    public static string Program(string name, string? install = null)
    {
        string? found = Find(name);
        That(found is not null, $"{name} is not installed ({install ?? $"apt-get install -y {name}"})");
        return found!;
    }

    /// <summary>Full path of an executable (absolute, or searched on <c>PATH</c>), or null.</summary>
    public static string? Find(string name)
    {
        if (Path.IsPathRooted(name)) return File.Exists(name) ? name : null;
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}

/// <summary>Trait values for <c>[Trait("Category", ...)]</c>, so <c>dotnet test --filter "Category!=Slow"</c> gives a quick loop.</summary>
public static class Category
{
    /// <summary>Takes many seconds (packs, installs, trains or spawns processes); README: the quick loop leaves these out.</summary>
    public const string Slow = "Slow";

    /// <summary>Drives a real headless Chromium (<c>apt-get install -y chromium</c>).</summary>
    public const string Browser = "Browser";

    /// <summary>Checks the process's native setup (glibc malloc, OpenMP, MKL dispatch, libtorch's bridge).</summary>
    public const string Native = "Native";

    /// <summary>Runs a real client from another ecosystem (Node: transformers.js, @huggingface/inference).</summary>
    public const string Interop = "Interop";
}
