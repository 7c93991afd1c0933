using System.Text.Json;
using System.Text.RegularExpressions;
using BioNer.Data;
using BioNer.Translation;

namespace BioNer.Tests.Translation;

/// <summary>Test doubles: a word-for-word "Spanish", an in-memory backend, LibreTranslate/DeepL handlers, sentence notation.</summary>
public static class Fakes
{
    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["The"] = "La", ["the"] = "la", ["aspirin"] = "aspirina", ["blocks"] = "bloquea", ["dose"] = "dosis", ["is"] = "es",
        ["high"] = "alta", ["and"] = "y", ["binds"] = "une", ["acid"] = "ácido", ["Take"] = "Tome", ["linolenic"] = "linolénico",
        ["reduces"] = "reduce", ["inflammation"] = "inflamación", ["cells"] = "células",
    };

    /// <summary>Word-for-word translation that leaves markers and unknown words alone.</summary>
    public static string Spanish(string text) =>
        Regex.Replace(text, @"\b\w+\b", m => Words.TryGetValue(m.Value, out var t) ? t : m.Value);

    /// <summary>A sentence from <c>word/LABEL</c> items (a bare word is O), separated by spaces.</summary>
    public static Sentence S(string spec)
    {
        var items = spec.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var words = items.Select(i => i.Contains('/') && i.Length > 1 ? i[..i.LastIndexOf('/')] : i).ToList();
        var labels = items.Select(i => i.Contains('/') && i.Length > 1 ? i[(i.LastIndexOf('/') + 1)..] : "O").ToList();
        return new Sentence(words, labels);
    }

    /// <summary>Words and labels back in <c>word/LABEL</c> notation (O words bare).</summary>
    public static string Render(IReadOnlyList<string> words, IReadOnlyList<string> labels) =>
        string.Join(' ', words.Select((w, i) => labels[i] == "O" ? w : $"{w}/{labels[i]}"));

    /// <summary>A LibreTranslate server's answer to a request, translating each <c>q</c> with <paramref name="translate"/>.</summary>
    public static LoopbackServer.Response Libre(LoopbackServer.Request request, Func<string, string> translate)
    {
        using var doc = JsonDocument.Parse(request.Body);
        var q = doc.RootElement.GetProperty("q");
        object result = q.ValueKind == JsonValueKind.Array
            ? q.EnumerateArray().Select(e => translate(e.GetString()!)).ToArray()
            : translate(q.GetString()!);
        return new(200, JsonSerializer.Serialize(new { translatedText = result }));
    }

    /// <summary>Fast retry settings for tests.</summary>
    public static TranslatorOptions Options(int batch = 16, int attempts = 4) =>
        new() { BatchSize = batch, MaxAttempts = attempts, InitialDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50) };
}

/// <summary>An in-memory backend that applies a function and counts calls.</summary>
public sealed class FakeBackend(Func<string, string> translate, string name = "fake") : ITranslationBackend
{
    public int Calls { get; private set; }

    public List<string> Seen { get; } = [];

    public string Name => name;

    public bool XmlAware { get; init; }

    public Task<IReadOnlyList<string>> TranslateAsync(IReadOnlyList<string> texts, string source, string target, CancellationToken cancellationToken)
    {
        Calls++;
        Seen.AddRange(texts);
        return Task.FromResult<IReadOnlyList<string>>(texts.Select(translate).ToList());
    }

    public void Dispose() { }
}
