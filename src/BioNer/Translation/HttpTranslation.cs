using System.Net;
using System.Text.Json;
using BioNer.IO;

namespace BioNer.Translation;

/// <summary>
/// What the HTTP backends share: sending a request and turning every failure into a
/// <see cref="TranslationBackendException"/> that says whether a retry can help (429, 5xx, network errors and timeouts
/// can; 4xx cannot), with the server's own error text and its <c>Retry-After</c>.
/// </summary>
internal static class HttpTranslation
{
    /// <summary>Sends <paramref name="request"/> and returns the response body of a 2xx answer.</summary>
    public static async Task<string> SendAsync(HttpClient client, HttpRequestMessage request, string backend, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new TranslationBackendException(backend, $"network error: {e.Message}", transient: true, inner: e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new TranslationBackendException(backend, $"no answer within {client.Timeout.TotalSeconds:0} s", transient: true, inner: e);
        }
        using (response)
        {
            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new TranslationBackendException(backend, $"network error while reading the answer: {e.Message}", transient: true, inner: e);
            }
            if (response.IsSuccessStatusCode) return body;
            int status = (int)response.StatusCode;
            bool transient = TransientRetry.IsTransientStatus(status);
            string hint = status switch
            {
                401 or 403 => " (check the API key)",
                456 => " (quota exceeded)",
                _ => "",
            };
            throw new TranslationBackendException(backend, $"HTTP {status} {response.ReasonPhrase}: {ErrorText(body)}{hint}",
                transient, RetryAfter(response), status);
        }
    }

    /// <summary>The server's error text: the <c>error</c> (LibreTranslate) or <c>message</c> (DeepL) field, else the body's start.</summary>
    internal static string ErrorText(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
                foreach (string field in (string[])["error", "message", "detail"])
                    if (doc.RootElement.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String) return v.GetString()!;
        }
        catch (JsonException) { }
        string trimmed = body.Trim();
        return trimmed.Length == 0 ? "(empty answer)" : Shorten(trimmed);
    }

    /// <summary>The first 200 characters of <paramref name="text"/>, for messages.</summary>
    internal static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - DateTimeOffset.UtcNow is { Ticks: > 0 } wait ? wait : TimeSpan.Zero;
        return null;
    }

    /// <summary>Parses a JSON answer; malformed JSON is a (non-transient) error quoting the body.</summary>
    public static JsonDocument ParseJson(string body, string backend)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new TranslationBackendException(backend, $"answer is not valid JSON ({e.Message}): {Shorten(body)}", inner: e);
        }
    }

    /// <summary>Checks the answer has one translation per input.</summary>
    public static IReadOnlyList<string> CheckCount(List<string> translations, int expected, string backend) =>
        translations.Count == expected ? translations
            : throw new TranslationBackendException(backend, $"answered {translations.Count} translations for {expected} texts");

    /// <summary>A shared-nothing HTTP client with the given timeout (each backend owns one).</summary>
    public static HttpClient CreateClient(TimeSpan timeout) =>
        new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All }) { Timeout = timeout };
}
