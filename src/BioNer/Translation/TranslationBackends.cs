using System.Text;

namespace BioNer.Translation;

/// <summary>Settings that backends take from outside the SPEC string.</summary>
public sealed record BackendSettings
{
    /// <summary>Ask the engine to keep XML tags (DeepL <c>tag_handling=xml</c>); set when XML markers are used.</summary>
    public bool XmlTags { get; init; }

    /// <summary>Per-request timeout (HTTP) or per-batch timeout (command).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Source language code of the run; names the default Apertium mode (<c>en</c> + <c>es</c> → <c>eng-spa</c>).</summary>
    public string Source { get; init; } = "en";

    /// <summary>Target language code of the run.</summary>
    public string Target { get; init; } = "es";

    /// <summary>Reads environment variables (API keys); tests pass their own.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Defaults: no XML tags, default timeouts, the process environment.</summary>
    public static BackendSettings Default { get; } = new();
}

/// <summary>
/// Creates a backend from the CLI's <c>--backend SPEC</c>: <c>libretranslate:URL</c> (API key from
/// <c>LIBRETRANSLATE_API_KEY</c>), <c>deepl:URL</c> (key from <c>DEEPL_AUTH_KEY</c>), <c>apertium[:MODE]</c> (the
/// local Apertium engine; mode from the languages when omitted) or <c>command:PROGRAM ARGS...</c> (arguments split
/// like a shell does: single and double quotes, backslash escapes).
/// </summary>
public static class TranslationBackends
{
    /// <summary>The environment variable holding the LibreTranslate API key.</summary>
    public const string LibreTranslateKeyVariable = "LIBRETRANSLATE_API_KEY";

    /// <summary>The environment variable holding the DeepL authentication key.</summary>
    public const string DeepLKeyVariable = "DEEPL_AUTH_KEY";

    /// <summary>Parses <paramref name="spec"/> and creates the backend; <see cref="BioNerException"/> naming <c>--backend</c> when malformed.</summary>
    public static ITranslationBackend Create(string spec, BackendSettings? settings = null)
    {
        settings ??= BackendSettings.Default;
        int colon = spec.IndexOf(':');
        string kind = colon < 0 ? spec.Trim() : spec[..colon].Trim().ToLowerInvariant();
        string rest = colon < 0 ? "" : spec[(colon + 1)..].Trim();
        if (rest.Length == 0 && kind is "libretranslate" or "deepl" or "command")
            throw new BioNerException($"--backend: '{spec}' needs a {(kind == "command" ? "command line" : "URL")} after '{kind}:'");
        switch (kind)
        {
            case "libretranslate":
                return new LibreTranslateBackend(rest, settings.Environment(LibreTranslateKeyVariable), settings.Timeout);
            case "deepl":
                string? key = settings.Environment(DeepLKeyVariable);
                if (string.IsNullOrEmpty(key) && rest.Contains("deepl.com", StringComparison.OrdinalIgnoreCase))
                    throw new BioNerException($"--backend: DeepL needs an authentication key in the environment variable {DeepLKeyVariable}");
                return new DeepLBackend(rest, key, settings.XmlTags, settings.Timeout);
            case "apertium":
                return new ApertiumBackend(rest, settings.Source, settings.Target, settings.Timeout);
            case "command":
                var argv = SplitCommandLine(rest);
                // command:"prog args" arriving with its quotes kept is one word holding the whole command line.
                if (argv.Count == 1 && argv[0].Any(char.IsWhiteSpace)) argv = SplitCommandLine(argv[0]);
                return new CommandBackend(argv[0], argv.Skip(1).ToList(), settings.Timeout);
            default:
                throw new BioNerException($"--backend: unknown backend '{spec}' (libretranslate:URL, deepl:URL, apertium[:MODE], command:\"program args...\")");
        }
    }

    /// <summary>Splits a command line into words like a POSIX shell (quotes group, backslash escapes; no expansion).</summary>
    public static IReadOnlyList<string> SplitCommandLine(string commandLine)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < commandLine.Length; i++)
        {
            char c = commandLine[i];
            if (quote == '\'') { if (c == '\'') quote = '\0'; else current.Append(c); continue; }
            if (c == '\\' && i + 1 < commandLine.Length && (quote == '\0' || commandLine[i + 1] is '"' or '\\' or '$' or '`'))
            {
                current.Append(commandLine[++i]);
                inWord = true;
                continue;
            }
            if (quote == '"') { if (c == '"') quote = '\0'; else current.Append(c); continue; }
            if (c is '\'' or '"') { quote = c; inWord = true; continue; }
            if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(current.ToString());
                current.Clear();
                inWord = false;
                continue;
            }
            current.Append(c);
            inWord = true;
        }
        if (quote != '\0') throw new BioNerException($"--backend: unclosed {quote} quote in the command '{commandLine}'");
        if (inWord) words.Add(current.ToString());
        if (words.Count == 0) throw new BioNerException("--backend: command: names no program (command:\"program args...\")");
        return words;
    }
}
