using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace BioNer.Translation;

/// <summary>
/// The Apertium rule-based MT engine (<c>apertium</c>, Debian package <c>apertium</c> plus a language pair such as
/// <c>apertium-eng-spa</c>) as a backend: the offline engine a Debian machine can install in a minute. Each batch runs
/// <c>apertium -z -u -f none MODE</c> once (a pipeline kept open for the whole run is not possible: lttoolbox 3.7's
/// <c>lt-proc -b</c> stage holds its output until its input closes, null-flush or not; starting the pipeline costs
/// 0.2 s, so use large batches, see benchmarks/RESULTS.md). Texts are written in Apertium's stream format, each ended
/// by a NUL, and <c>-z</c> ends each answer with one, so the n-th answer is the n-th text's translation whatever the
/// text holds — one output per input by construction, checked by count. <c>-f none</c> lets word-bound blanks
/// (<c>[[t:0]]aspirin[[/]]</c>, <see cref="MarkerStyle.WordBound"/>) through as blanks that Apertium carries onto
/// each translated word, instead of as text; every other character Apertium reads as stream syntax is escaped on the
/// way in and unescaped on the way out (<see cref="ApertiumStream"/>), so Greek letters, <c>±</c>, <c>°C</c>,
/// <c>Na+/K+</c> or <c>[3H]</c> come back as sent. <c>-u</c> drops the <c>*</c> marks of unknown words (kept
/// untranslated).
/// </summary>
public sealed class ApertiumBackend : ITranslationBackend
{
    /// <summary>What to install when Apertium or its English–Spanish pair is missing.</summary>
    public const string InstallHint = "apt-get install apertium apertium-eng-spa (scripts/setup-debian.sh does it)";

    private readonly string _program;
    private readonly CommandBackend _pipeline;
    private bool _checked;

    /// <summary>
    /// Uses Apertium mode <paramref name="mode"/> (e.g. <c>eng-spa</c>), or, when null or empty, the mode named after
    /// <paramref name="source"/> and <paramref name="target"/> (<c>en</c>, <c>es</c> → <c>eng-spa</c>); each batch must
    /// finish within <paramref name="timeout"/> (default 10 min). <paramref name="program"/> is the <c>apertium</c>
    /// script to run.
    /// </summary>
    public ApertiumBackend(string? mode, string source, string target, TimeSpan? timeout = null, string program = "apertium")
    {
        Mode = string.IsNullOrWhiteSpace(mode) ? DefaultMode(source, target) : mode.Trim();
        _program = program;
        Name = "apertium:" + Mode;
        _pipeline = new CommandBackend(program, ["-z", "-u", "-f", "none", Mode], timeout, Name, '\0');
    }

    /// <summary>The Apertium mode (<c>apertium -l</c> lists those installed).</summary>
    public string Mode { get; }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public bool XmlAware => false;

    /// <inheritdoc/>
    public MarkerStyle? PreferredMarkerStyle => MarkerStyle.WordBound;

    /// <summary>
    /// The mode for two language codes: ISO 639-1 codes become Apertium's three-letter ones (<c>en</c> → <c>eng</c>);
    /// other codes are used as given.
    /// </summary>
    public static string DefaultMode(string source, string target) => $"{ThreeLetter(source)}-{ThreeLetter(target)}";

    private static string ThreeLetter(string code) => code.Trim().ToLowerInvariant() switch
    {
        "en" => "eng", "es" => "spa", "fr" => "fra", "pt" => "por", "ca" => "cat", "gl" => "glg", "eu" => "eus", "it" => "ita",
        "de" => "deu", "nl" => "nld", "ro" => "ron", "oc" => "oci", "an" => "arg", "eo" => "epo", var c => c,
    };

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> TranslateAsync(IReadOnlyList<string> texts, string source, string target, CancellationToken cancellationToken)
    {
        if (texts.Count == 0) return [];
        if (!_checked) await CheckModeAsync(cancellationToken).ConfigureAwait(false);
        // An empty superblank after each text: in null-flush mode Apertium loses a full stop glued to the last word
        // ("strains." -> "tensiones") when nothing follows it, as apertium-destxt's own trailing blank would prevent.
        var answers = await _pipeline.TranslateAsync(texts.Select(t => ApertiumStream.Escape(t) + "[]").ToList(), source, target, cancellationToken)
            .ConfigureAwait(false);
        return answers.Select(a => ApertiumStream.Unescape(a).Trim()).ToList();
    }

    /// <summary>Checks once that the program and the mode exist, with a message saying what to install when not.</summary>
    private async Task CheckModeAsync(CancellationToken ct)
    {
        var info = new ProcessStartInfo(_program, "-l") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        Process list;
        try
        {
            list = Process.Start(info) ?? throw new TranslationBackendException(Name, $"'{_program}' could not be started");
        }
        catch (Win32Exception e)
        {
            throw new TranslationBackendException(Name, $"cannot start '{_program}' ({e.Message}): Apertium is not installed; {InstallHint}", inner: e);
        }
        using (list)
        {
            var stderr = list.StandardError.ReadToEndAsync(ct);
            string output = await list.StandardOutput.ReadToEndAsync(ct).ConfigureAwait(false);
            await stderr.ConfigureAwait(false);
            await list.WaitForExitAsync(ct).ConfigureAwait(false);
            var modes = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
            if (!modes.Contains(Mode, StringComparer.Ordinal))
                throw new TranslationBackendException(Name,
                    $"Apertium has no mode '{Mode}' (installed: {(modes.Count == 0 ? "none" : string.Join(", ", modes))}); " +
                    $"install its language pair, e.g. {InstallHint}, or name an installed mode with --backend apertium:MODE");
        }
        _checked = true;
    }

    /// <inheritdoc/>
    public void Dispose() => _pipeline.Dispose();
}

/// <summary>
/// Apertium's stream format for plain text (what <c>apertium-destxt</c> would write): the characters that are stream
/// syntax are escaped with a backslash, <c>~</c> (a join mark to Apertium, lost even when escaped) travels as a
/// superblank <c>[~]</c>, line breaks and NULs become spaces, and word-bound blanks <c>[[...]]</c> pass unchanged.
/// </summary>
public static partial class ApertiumStream
{
    private const string Special = "\\[]^$@/<>{}*#";

    /// <summary>The text as Apertium must read it; only BioNer's own word-bound markers (<c>[[t:N]]</c>, <c>[[/]]</c>) stay blanks.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '[' && OwnBlank().Match(text, i) is { Success: true } m && m.Index == i)
            {
                sb.Append(m.Value);
                i += m.Length - 1;
            }
            else if (Special.Contains(c)) sb.Append('\\').Append(c);
            else if (c == '~') sb.Append("[~]");
            else if (c is '\n' or '\r' or '\0') sb.Append(' ');
            else sb.Append(c);
        }
        return sb.ToString();
    }

    [GeneratedRegex(@"\G(\[\[t:[0-9]+\]\]|\[\[/\]\])")]
    private static partial Regex OwnBlank();

    /// <summary>Apertium's output as text: escapes undone, superblanks replaced by their content, word-bound blanks kept.</summary>
    public static string Unescape(string stream)
    {
        var sb = new StringBuilder(stream.Length);
        bool inSuperblank = false;
        for (int i = 0; i < stream.Length; i++)
        {
            char c = stream[i];
            if (c == '\\' && i + 1 < stream.Length) sb.Append(stream[++i]);
            else if (!inSuperblank && c == '[' && i + 1 < stream.Length && stream[i + 1] == '[' && stream.IndexOf("]]", i + 2, StringComparison.Ordinal) is int end and > 0)
            {
                sb.Append(stream, i, end + 2 - i);
                i = end + 1;
            }
            else if (c == '[' && !inSuperblank) inSuperblank = true;
            else if (c == ']' && inSuperblank) inSuperblank = false;
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
