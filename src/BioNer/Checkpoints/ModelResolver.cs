using System.Text.RegularExpressions;

namespace BioNer.Checkpoints;

/// <summary>
/// Turns what a user passes as <c>--model</c> into a local HuggingFace-layout folder. Why one place: every verb
/// (train, evaluate, predict, serve, export) accepts the same three forms — a folder, the built-in offline encoder
/// <c>minilm</c>, or a hub id <c>owner/name[@revision]</c> — and loads the result the same way.
/// </summary>
public static partial class ModelResolver
{
    /// <summary>Names of the built-in models that need no network.</summary>
    public static readonly IReadOnlyList<string> BuiltIns = [MiniLmImporter.Name];

    /// <summary>BioNer's cache root: <c>$BIONER_HOME</c>, else <c>~/.cache/bioner</c>.</summary>
    public static string BioNerHome() =>
        Environment.GetEnvironmentVariable("BIONER_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "bioner");

    /// <summary>
    /// Resolves <paramref name="modelOrPath"/> with the default cache (<see cref="BioNerHome"/>) and hub settings
    /// (<c>HF_ENDPOINT</c>, <c>HF_HOME</c>, <c>HF_TOKEN</c>); returns the local folder.
    /// </summary>
    public static string Resolve(string modelOrPath, Action<string>? log = null)
    {
        using var hub = new HubClient();
        return Resolve(modelOrPath, log, BioNerHome(), hub);
    }

    /// <summary>
    /// Resolves <paramref name="modelOrPath"/>: an existing folder is returned as is; <c>minilm</c> is imported once
    /// into <c>{bionerHome}/models/minilm</c> and reused (re-imported when a file is missing); <c>owner/name[@rev]</c>
    /// is downloaded (or reused offline) by <paramref name="hub"/>. Anything else is a <see cref="BioNerException"/>.
    /// </summary>
    public static string Resolve(string modelOrPath, Action<string>? log, string bionerHome, HubClient hub)
    {
        if (string.IsNullOrWhiteSpace(modelOrPath))
            throw new BioNerException("--model is empty: give a model folder, a built-in (minilm) or a hub id owner/name.");
        if (Directory.Exists(modelOrPath)) return Path.GetFullPath(modelOrPath);
        if (string.Equals(modelOrPath, MiniLmImporter.Name, StringComparison.OrdinalIgnoreCase))
            return ResolveMiniLm(Path.Combine(bionerHome, "models", MiniLmImporter.Name), log);
        var m = HubIdPattern().Match(modelOrPath);
        if (m.Success)
        {
            string revision = m.Groups["rev"].Success ? m.Groups["rev"].Value : "main";
            return hub.Download(m.Groups["id"].Value, revision, p => { if (p.Done) log?.Invoke($"{p.File}: {p.BytesDone:N0} bytes"); });
        }
        throw new BioNerException(
            $"--model '{modelOrPath}' is not an existing folder, a built-in model ({string.Join(", ", BuiltIns)}) " +
            "or a HuggingFace hub id (owner/name or owner/name@revision).");
    }

    private static string ResolveMiniLm(string dir, Action<string>? log)
    {
        var missing = MiniLmImporter.Files.Where(f => !File.Exists(Path.Combine(dir, f))).ToList();
        if (missing.Count == 0)
        {
            log?.Invoke($"minilm: using {dir}");
            return dir;
        }
        if (Directory.Exists(dir)) log?.Invoke($"minilm: {dir} lacks {string.Join(", ", missing)}; importing again");
        MiniLmImporter.ImportTo(dir, log);
        return dir;
    }

    [GeneratedRegex(@"^(?<id>[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*)(@(?<rev>[A-Za-z0-9._-]+))?$")]
    private static partial Regex HubIdPattern();
}
