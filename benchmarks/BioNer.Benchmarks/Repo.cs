namespace BioNer.Benchmarks;

/// <summary>Finds files of the repository (bundled samples, helper scripts) from wherever the benchmark is started.</summary>
public static class Repo
{
    /// <summary>The first <paramref name="relativePath"/> (file or folder) found in the current folder or above it, or null.</summary>
    public static string? TryLocate(string relativePath)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, relativePath);
            if (File.Exists(path) || Directory.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>As <see cref="TryLocate"/>, but a missing path is an error that says which option replaces it.</summary>
    /// <exception cref="BioNerException">Not found above the current folder.</exception>
    public static string Locate(string relativePath) =>
        TryLocate(relativePath) ?? throw new BioNerException($"{relativePath} not found above the current folder; run from the repository or pass the path as an option");
}
