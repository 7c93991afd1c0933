using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BioNer.Translation;

/// <summary>
/// A LibreTranslate server (self-hosted or libretranslate.com): <c>POST {url}/translate</c> with JSON
/// <c>{"q": [texts], "source", "target", "format": "text", "api_key"?}</c>, answered by
/// <c>{"translatedText": [translations]}</c> or, on failure, <c>{"error": "..."}</c> with status 400/403/429/500.
/// </summary>
public sealed class LibreTranslateBackend : ITranslationBackend
{
    private readonly HttpClient _client;
    private readonly Uri _endpoint;
    private readonly string? _apiKey;

    /// <summary>Talks to the server at <paramref name="baseUrl"/> (with or without the trailing <c>/translate</c>).</summary>
    public LibreTranslateBackend(string baseUrl, string? apiKey = null, TimeSpan? timeout = null)
    {
        string url = baseUrl.TrimEnd('/');
        if (!url.EndsWith("/translate", StringComparison.Ordinal)) url += "/translate";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new BioNerException($"--backend: '{baseUrl}' is not an http(s) URL (libretranslate:http://host:5000)");
        _endpoint = uri;
        _apiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey;
        _client = HttpTranslation.CreateClient(timeout ?? TimeSpan.FromSeconds(120));
        Name = "libretranslate:" + baseUrl.TrimEnd('/');
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public bool XmlAware => false;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> TranslateAsync(IReadOnlyList<string> texts, string source, string target, CancellationToken cancellationToken)
    {
        if (texts.Count == 0) return [];
        var body = new JsonObject
        {
            ["q"] = new JsonArray(texts.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
            ["source"] = source,
            ["target"] = target,
            ["format"] = "text",
        };
        if (_apiKey is not null) body["api_key"] = _apiKey;
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) {
            // A plain string body, so Content-Length is sent (JsonContent would stream it chunked).
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        string answer = await HttpTranslation.SendAsync(_client, request, Name, cancellationToken).ConfigureAwait(false);
        using var doc = HttpTranslation.ParseJson(answer, Name);
        return HttpTranslation.CheckCount(Translations(doc.RootElement, answer, texts.Count), texts.Count, Name);
    }

    private List<string> Translations(JsonElement root, string answer, int expected)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("translatedText", out var t))
            throw new TranslationBackendException(Name, $"answer has no 'translatedText': {HttpTranslation.Shorten(answer)}");
        if (t.ValueKind == JsonValueKind.String && expected == 1) return [t.GetString()!];
        if (t.ValueKind != JsonValueKind.Array || t.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            throw new TranslationBackendException(Name, $"'translatedText' is not an array of strings: {HttpTranslation.Shorten(answer)}");
        return t.EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();
}
