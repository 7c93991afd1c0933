using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BioNer.Translation;

/// <summary>
/// An append-only JSON Lines file of past translations, keyed by (backend, source, target, text), so that a re-run or
/// a run resumed after a crash never pays for the same text twice. One line per translation:
/// <c>{"backend", "source", "target", "text", "translation"}</c>. Lines are appended and flushed to disk after each
/// batch (deliberately not an atomic rewrite: appending is what makes a crash lose at most the batch in flight). A
/// line cut short by a crash, or otherwise unreadable, is skipped and counted (<see cref="SkippedLines"/>): a missing
/// entry only means that text is translated again.
/// </summary>
public sealed class TranslationCache : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly Dictionary<(string, string, string, string), string> _entries = new();
    private readonly FileStream _file;

    private sealed record Entry(
        [property: JsonPropertyName("backend")] string? Backend,
        [property: JsonPropertyName("source")] string? Source,
        [property: JsonPropertyName("target")] string? Target,
        [property: JsonPropertyName("text")] string? Text,
        [property: JsonPropertyName("translation")] string? Translation);

    private TranslationCache(string path)
    {
        Path = path;
        string? dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        Load();
    }

    /// <summary>The cache file.</summary>
    public string Path { get; }

    /// <summary>Number of translations held.</summary>
    public int Count => _entries.Count;

    /// <summary>Lines of the file that could not be read (cut short by a crash, edited by hand) and were ignored.</summary>
    public int SkippedLines { get; private set; }

    /// <summary>Opens (or creates) the cache file at <paramref name="path"/> and loads its entries.</summary>
    public static TranslationCache Open(string path) => new(path);

    /// <summary>Looks up a past translation.</summary>
    public bool TryGet(string backend, string source, string target, string text, out string translation) =>
        _entries.TryGetValue((backend, source, target, text), out translation!);

    /// <summary>Adds translations and appends them to the file, flushed to disk before returning.</summary>
    public void Add(string backend, string source, string target, IEnumerable<(string Text, string Translation)> translations)
    {
        var sb = new StringBuilder();
        foreach (var (text, translation) in translations)
        {
            if (!_entries.TryAdd((backend, source, target, text), translation)) _entries[(backend, source, target, text)] = translation;
            sb.Append(JsonSerializer.Serialize(new Entry(backend, source, target, text, translation), Json)).Append('\n');
        }
        if (sb.Length == 0) return;
        _file.Write(Encoding.UTF8.GetBytes(sb.ToString()));
        _file.Flush(flushToDisk: true);
    }

    private void Load()
    {
        var bytes = new byte[_file.Length];
        _file.ReadExactly(bytes);
        // A crash may leave a partial last line: start the next entry on a fresh line so it stays readable.
        if (bytes.Length > 0 && bytes[^1] != (byte)'\n') _file.WriteByte((byte)'\n');
        string text = new UTF8Encoding(false, throwOnInvalidBytes: false).GetString(bytes);
        foreach (string line in text.Split('\n'))
        {
            if (line.Trim().Length == 0) continue;
            try
            {
                var e = JsonSerializer.Deserialize<Entry>(line, Json);
                if (e is { Backend: not null, Source: not null, Target: not null, Text: not null, Translation: not null })
                    _entries[(e.Backend, e.Source, e.Target, e.Text)] = e.Translation;
                else SkippedLines++;
            }
            catch (JsonException)
            {
                SkippedLines++;
            }
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _file.Dispose();
}
