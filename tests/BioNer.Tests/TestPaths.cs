namespace BioNer.Tests;

/// <summary>Where the checkout is, for tests that run committed scripts or projects (interop clients, packages).</summary>
public static class TestPaths
{
    /// <summary>The repository root: the first folder above the test binaries that holds BioNer.slnx.</summary>
    public static string RepoRoot { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BioNer.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("repository root (BioNer.slnx) not found above the test binaries");
    }
}
