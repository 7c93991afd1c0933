using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace BioNer.Translation;

/// <summary>
/// Any local program as a translation engine, so that users can run an offline MT system (Marian, CTranslate2,
/// Argos, a sed script): for each batch the program is started, given one text per line on stdin (UTF-8, stdin then
/// closed) and must print exactly one translation per line on stdout and exit with 0. A different line count, a
/// non-zero exit or a timeout is an error quoting the program's stderr. The placeholders <c>{source}</c> and
/// <c>{target}</c> in the arguments are replaced by the language codes.
/// </summary>
public sealed class CommandBackend : ITranslationBackend
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly string _program;
    private readonly IReadOnlyList<string> _arguments;
    private readonly TimeSpan _timeout;
    private readonly char _separator;

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/>; each batch must finish within <paramref name="timeout"/> (default 10 min).</summary>
    public CommandBackend(string program, IReadOnlyList<string> arguments, TimeSpan? timeout = null)
        : this(program, arguments, timeout, null, '\n')
    {
    }

    /// <summary>
    /// As the public constructor, for engines wrapped by another backend (<see cref="ApertiumBackend"/>):
    /// <paramref name="name"/> replaces <c>command:...</c> in messages, and <paramref name="separator"/> ends each text
    /// and each answer (<c>\0</c> for programs with a null-flush mode, so that a text may hold anything).
    /// </summary>
    internal CommandBackend(string program, IReadOnlyList<string> arguments, TimeSpan? timeout, string? name, char separator)
    {
        if (string.IsNullOrWhiteSpace(program)) throw new BioNerException("--backend: command: names no program (command:\"program args...\")");
        _program = program;
        _arguments = arguments;
        _timeout = timeout ?? TimeSpan.FromMinutes(10);
        _separator = separator;
        Name = name ?? "command:" + string.Join(' ', new[] { program }.Concat(arguments));
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public bool XmlAware => false;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> TranslateAsync(IReadOnlyList<string> texts, string source, string target, CancellationToken cancellationToken)
    {
        if (texts.Count == 0) return [];
        using var process = Start(source, target);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await WriteInputAsync(process, texts, _separator, timeout.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            string output = await stdout.ConfigureAwait(false), errors = await stderr.ConfigureAwait(false);
            if (process.ExitCode != 0)
                throw new TranslationBackendException(Name, $"exited with code {process.ExitCode}{Tail(errors)}");
            return Lines(output, texts.Count, errors);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill(process);
            throw new TranslationBackendException(Name, $"did not finish a batch of {texts.Count} lines within {_timeout.TotalSeconds:0} s");
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    private Process Start(string source, string target)
    {
        var info = new ProcessStartInfo(_program)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            StandardInputEncoding = Utf8, StandardOutputEncoding = Utf8, StandardErrorEncoding = Utf8,
        };
        foreach (string a in _arguments) info.ArgumentList.Add(a.Replace("{source}", source).Replace("{target}", target));
        try
        {
            return Process.Start(info) ?? throw new TranslationBackendException(Name, "could not be started");
        }
        catch (Win32Exception e)
        {
            throw new TranslationBackendException(Name, $"cannot start '{_program}': {e.Message}", inner: e);
        }
    }

    private static async Task WriteInputAsync(Process process, IReadOnlyList<string> texts, char separator, CancellationToken ct)
    {
        var stdin = process.StandardInput;
        stdin.NewLine = separator.ToString();
        try
        {
            // One text per line: a line break inside a text would shift every later line, so it becomes a space.
            foreach (string text in texts)
                await stdin.WriteLineAsync(text.ReplaceLineEndings(" ").Replace(separator, ' ').AsMemory(), ct).ConfigureAwait(false);
            await stdin.FlushAsync(ct).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The program closed its stdin early (or died); its exit code and stderr tell why.
        }
        finally
        {
            try { stdin.Close(); } catch (IOException) { }
        }
    }

    private IReadOnlyList<string> Lines(string output, int expected, string errors)
    {
        var lines = output.Split(_separator).Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        // A null-flush pipeline ends with one extra NUL per stage when its input closes.
        if (_separator == '\0')
            while (lines.Count > expected && lines[^1].Trim().Length == 0) lines.RemoveAt(lines.Count - 1);
        if (lines.Count != expected)
            throw new TranslationBackendException(Name,
                $"printed {lines.Count} lines for {expected} input lines; it must print exactly one translation per input line{Tail(errors)}");
        return lines;
    }

    private static string Tail(string errors)
    {
        string t = errors.Trim();
        return t.Length == 0 ? "" : "; stderr: " + (t.Length <= 300 ? t : "..." + t[^300..]);
    }

    private static void Kill(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        catch (Win32Exception) { }
    }

    /// <inheritdoc/>
    public void Dispose() { }
}
