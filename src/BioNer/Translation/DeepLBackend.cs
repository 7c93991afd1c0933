using System.Text.Json;

namespace BioNer.Translation;

/// <summary>
/// The DeepL API v2: <c>POST {url}/v2/translate</c>, form-encoded <c>text</c> (repeated), <c>source_lang</c>,
/// <c>target_lang</c> and, for XML markers, <c>tag_handling=xml</c>; header <c>Authorization: DeepL-Auth-Key KEY</c>;
/// answered by <c>{"translations": [{"text": ...}]}</c>. Language codes are sent upper-case (<c>en</c> → <c>EN</c>).
/// </summary>
public sealed class DeepLBackend : ITranslationBackend
{
    private readonly HttpClient _client;
    private readonly Uri _endpoint;
    private readonly string? _authKey;
    private readonly bool _xmlTags;

    /// <summary>
    /// Talks to <paramref name="baseUrl"/> (e.g. <c>https://api-free.deepl.com</c>, with or without <c>/v2/translate</c>);
    /// <paramref name="xmlTags"/> asks DeepL to keep XML tags (<c>tag_handling=xml</c>) and makes the backend XML-aware.
    /// </summary>
    public DeepLBackend(string baseUrl, string? authKey, bool xmlTags = false, TimeSpan? timeout = null)
    {
        string url = baseUrl.TrimEnd('/');
        if (!url.EndsWith("/v2/translate", StringComparison.Ordinal)) url += "/v2/translate";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new BioNerException($"--backend: '{baseUrl}' is not an http(s) URL (deepl:https://api-free.deepl.com)");
        _endpoint = uri;
        _authKey = string.IsNullOrEmpty(authKey) ? null : authKey;
        _xmlTags = xmlTags;
        _client = HttpTranslation.CreateClient(timeout ?? TimeSpan.FromSeconds(120));
        Name = "deepl:" + baseUrl.TrimEnd('/') + (xmlTags ? "+xml" : "");
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public bool XmlAware => _xmlTags;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> TranslateAsync(IReadOnlyList<string> texts, string source, string target, CancellationToken cancellationToken)
    {
        if (texts.Count == 0) return [];
        var form = texts.Select(t => new KeyValuePair<string, string>("text", t)).ToList();
        form.Add(new("source_lang", source.ToUpperInvariant()));
        form.Add(new("target_lang", target.ToUpperInvariant()));
        if (_xmlTags) form.Add(new("tag_handling", "xml"));
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new FormUrlEncodedContent(form) };
        if (_authKey is not null) request.Headers.TryAddWithoutValidation("Authorization", "DeepL-Auth-Key " + _authKey);
        string answer = await HttpTranslation.SendAsync(_client, request, Name, cancellationToken).ConfigureAwait(false);
        using var doc = HttpTranslation.ParseJson(answer, Name);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("translations", out var list) || list.ValueKind != JsonValueKind.Array)
            throw new TranslationBackendException(Name, $"answer has no 'translations' array: {HttpTranslation.Shorten(answer)}");
        var result = new List<string>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                throw new TranslationBackendException(Name, $"a translation has no 'text' string: {HttpTranslation.Shorten(answer)}");
            result.Add(text.GetString()!);
        }
        return HttpTranslation.CheckCount(result, texts.Count, Name);
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();
}
