using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using BioNer.Translation;

namespace BioNer.Tests.Translation;

public class HttpBackendTests
{
    private static string[] Texts => ["The aspirin dose", "ácido α-linolénico 🧪"];

    [Fact]
    public async Task LibreTranslate_Batch_SendsProtocolFieldsAndReadsArray()
    {
        using var server = new LoopbackServer(r => Fakes.Libre(r, t => t.ToUpperInvariant()));
        using var backend = TranslationBackends.Create($"libretranslate:{server.Url}",
            new BackendSettings { Environment = v => v == TranslationBackends.LibreTranslateKeyVariable ? "secret" : null });
        var result = await backend.TranslateAsync(Texts, "en", "es", CancellationToken.None);
        Assert.Equal(["THE ASPIRIN DOSE", "ÁCIDO Α-LINOLÉNICO 🧪"], result);
        var request = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/translate"), (request.Method, request.Path));
        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal(Texts, root.GetProperty("q").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(("en", "es", "text", "secret"), (root.GetProperty("source").GetString(), root.GetProperty("target").GetString(),
            root.GetProperty("format").GetString(), root.GetProperty("api_key").GetString()));
        Assert.Equal($"libretranslate:{server.Url}", backend.Name);
    }

    [Fact]
    public async Task Translator_429ThenSuccess_RetriesAfterRetryAfter()
    {
        int calls = 0;
        using var server = new LoopbackServer(r => Interlocked.Increment(ref calls) == 1
            ? new(429, """{"error": "Too many requests"}""", new Dictionary<string, string> { ["Retry-After"] = "1" })
            : Fakes.Libre(r, Fakes.Spanish));
        using var backend = new LibreTranslateBackend(server.Url);
        var translator = new Translator(backend, Fakes.Options());
        var clock = Stopwatch.StartNew();
        var result = await translator.TranslateAsync(["The aspirin"]);
        Assert.Equal(["La aspirina"], result);
        Assert.Equal(2, server.Count);
        Assert.Equal((2, 1), (translator.Requests, translator.Retries));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"waited only {clock.Elapsed}: Retry-After ignored");
    }

    [Fact]
    public async Task Translator_RetryAfterAboveMaxRetryAfter_WaitsOnlyMaxRetryAfter()
    {
        int calls = 0;
        using var server = new LoopbackServer(r => Interlocked.Increment(ref calls) == 1
            ? new(503, """{"error": "busy"}""", new Dictionary<string, string> { ["Retry-After"] = "3600" })
            : Fakes.Libre(r, Fakes.Spanish));
        using var backend = new LibreTranslateBackend(server.Url);
        var translator = new Translator(backend, Fakes.Options() with { MaxRetryAfter = TimeSpan.FromMilliseconds(50) });
        var clock = Stopwatch.StartNew();
        Assert.Equal(["La aspirina"], await translator.TranslateAsync(["The aspirin"]));
        Assert.Equal((2, 1), (translator.Requests, translator.Retries));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"waited {clock.Elapsed}: MaxRetryAfter ignored");
    }

    [Fact]
    public async Task Translator_400_ThrowsClearErrorWithoutRetry()
    {
        using var server = new LoopbackServer(_ => new(400, """{"error": "Invalid request: missing q parameter"}"""));
        using var backend = new LibreTranslateBackend(server.Url);
        var e = await Assert.ThrowsAsync<TranslationBackendException>(() => new Translator(backend, Fakes.Options()).TranslateAsync(["x"]));
        Assert.Contains("HTTP 400", e.Message);
        Assert.Contains("Invalid request: missing q parameter", e.Message);
        Assert.Contains(server.Url, e.Message);
        Assert.False(e.Transient);
        Assert.Equal(1, server.Count);
    }

    [Fact]
    public async Task Translator_403_MentionsApiKey()
    {
        using var server = new LoopbackServer(_ => new(403, """{"error": "Invalid API key"}"""));
        using var backend = new LibreTranslateBackend(server.Url);
        var e = await Assert.ThrowsAsync<TranslationBackendException>(() => new Translator(backend, Fakes.Options()).TranslateAsync(["x"]));
        Assert.Contains("Invalid API key", e.Message);
        Assert.Contains("check the API key", e.Message);
    }

    [Theory]
    [InlineData("{\"translatedText\": [\"uno\"")]
    [InlineData("<html>Bad gateway</html>")]
    [InlineData("{\"translated\": []}")]
    [InlineData("{\"translatedText\": [\"uno\", \"dos\", \"tres\"]}")]
    public async Task Translator_MalformedAnswer_ThrowsClearError(string answer)
    {
        using var server = new LoopbackServer(_ => new(200, answer));
        using var backend = new LibreTranslateBackend(server.Url);
        var e = await Assert.ThrowsAsync<TranslationBackendException>(() => new Translator(backend, Fakes.Options()).TranslateAsync(["a", "b"]));
        Assert.False(e.Transient);
        Assert.Equal(1, server.Count);
        Assert.Matches("not valid JSON|no 'translatedText'|answered 3 translations for 2", e.Message);
    }

    [Fact]
    public async Task Translator_500Always_GivesUpAfterMaxAttempts()
    {
        using var server = new LoopbackServer(_ => new(500, """{"error": "model crashed"}"""));
        using var backend = new LibreTranslateBackend(server.Url);
        var translator = new Translator(backend, Fakes.Options(attempts: 3));
        var e = await Assert.ThrowsAsync<TranslationBackendException>(() => translator.TranslateAsync(["x"]));
        Assert.Equal(3, server.Count);
        Assert.Contains("gave up after 3 tries", e.Message);
        Assert.Contains("model crashed", e.Message);
    }

    [Fact]
    public async Task Translator_ConnectionRefused_RetriesThenFails()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var backend = new LibreTranslateBackend($"http://127.0.0.1:{port}", timeout: TimeSpan.FromSeconds(5));
        var translator = new Translator(backend, Fakes.Options(attempts: 2));
        var e = await Assert.ThrowsAsync<TranslationBackendException>(() => translator.TranslateAsync(["x"]));
        Assert.Contains("network error", e.Message);
        Assert.Equal(1, translator.Retries);
    }

    [Fact]
    public async Task Translator_MaxRps_SpacesRequests()
    {
        using var server = new LoopbackServer(r => Fakes.Libre(r, t => t));
        using var backend = new LibreTranslateBackend(server.Url);
        var translator = new Translator(backend, Fakes.Options(batch: 1) with { MaxRequestsPerSecond = 20 });
        var clock = Stopwatch.StartNew();
        await translator.TranslateAsync(["a", "b", "c", "d"]);
        Assert.Equal(4, server.Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(140), $"4 requests at 20/s took only {clock.Elapsed}");
    }

    [Fact]
    public async Task DeepL_Batch_SendsFormKeyAndTagHandling()
    {
        using var server = new LoopbackServer(r =>
        {
            var texts = r.Body.Split('&').Where(p => p.StartsWith("text=")).Select(p => Uri.UnescapeDataString(p[5..].Replace('+', ' ')));
            return new(200, JsonSerializer.Serialize(new { translations = texts.Select(t => new { detected_source_language = "EN", text = Fakes.Spanish(t) }) }));
        });
        using var backend = TranslationBackends.Create($"deepl:{server.Url}",
            new BackendSettings { XmlTags = true, Environment = v => v == TranslationBackends.DeepLKeyVariable ? "k-123:fx" : null });
        var result = await backend.TranslateAsync(["The <Chemical>aspirin</Chemical> dose", "ácido α 🧪 & más"], "en", "es", CancellationToken.None);
        Assert.Equal(["La <Chemical>aspirina</Chemical> dosis", "ácido α 🧪 & más"], result);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v2/translate", request.Path);
        Assert.Equal("DeepL-Auth-Key k-123:fx", request.Headers["Authorization"]);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers["Content-Type"]);
        Assert.Contains("source_lang=EN", request.Body);
        Assert.Contains("target_lang=ES", request.Body);
        Assert.Contains("tag_handling=xml", request.Body);
        Assert.Equal(2, request.Body.Split('&').Count(p => p.StartsWith("text=")));
        Assert.True(backend.XmlAware);
    }

    [Fact]
    public async Task DeepL_QuotaExceeded_ThrowsWithoutRetry()
    {
        using var server = new LoopbackServer(_ => new(456, """{"message": "Quota exceeded"}"""));
        using var backend = new DeepLBackend(server.Url, "k");
        var e = await Assert.ThrowsAsync<TranslationBackendException>(() => new Translator(backend, Fakes.Options()).TranslateAsync(["x"]));
        Assert.Contains("Quota exceeded", e.Message);
        Assert.Equal(1, server.Count);
    }

    [Fact]
    public async Task DeepL_503ThenSuccess_Retries()
    {
        int calls = 0;
        using var server = new LoopbackServer(_ => Interlocked.Increment(ref calls) <= 2
            ? new(503, """{"message": "busy"}""")
            : new(200, """{"translations": [{"text": "hola"}]}"""));
        using var backend = new DeepLBackend(server.Url, "k");
        var translator = new Translator(backend, Fakes.Options());
        Assert.Equal(["hola"], await translator.TranslateAsync(["hello"]));
        Assert.Equal(3, server.Count);
    }

    [Theory]
    [InlineData("nope:x")]
    [InlineData("libretranslate:")]
    [InlineData("libretranslate:ftp://host")]
    [InlineData("deepl:https://api-free.deepl.com")] // no key in the environment
    [InlineData("command:")]
    [InlineData("command:\"unclosed")]
    public void Create_BadSpec_ThrowsNamingBackendOption(string spec)
    {
        var e = Assert.Throws<BioNerException>(() => TranslationBackends.Create(spec, new BackendSettings { Environment = _ => null }));
        Assert.Contains("--backend", e.Message);
    }
}
