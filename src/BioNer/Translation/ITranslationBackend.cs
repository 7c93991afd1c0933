namespace BioNer.Translation;

/// <summary>
/// A machine-translation engine that turns a batch of strings from one language into another, one output per input,
/// in order. Why an interface: the corpus translator (batching, retries, cache, label projection) is the same whether
/// the engine is a LibreTranslate server, DeepL or an offline program run locally (see <see cref="TranslationBackends"/>).
/// </summary>
public interface ITranslationBackend : IDisposable
{
    /// <summary>
    /// The backend's identity in the translation cache (e.g. <c>libretranslate:http://host:5000</c>): two backends with
    /// the same name must translate alike, so no secret (API key) is part of it.
    /// </summary>
    string Name { get; }

    /// <summary>
    /// Whether the engine parses XML tags in its input (DeepL with <c>tag_handling=xml</c>): then text around XML markers
    /// must be escaped (<c>&amp;lt;</c>) and is unescaped on the way back.
    /// </summary>
    bool XmlAware { get; }

    /// <summary>
    /// The marker style this engine keeps best, used when the user names none (Apertium: its word-bound blanks);
    /// null for engines that have no preference (then brackets).
    /// </summary>
    MarkerStyle? PreferredMarkerStyle => null;

    /// <summary>
    /// Translates <paramref name="texts"/> (language codes such as <c>en</c>, <c>es</c>); returns exactly one string per
    /// input. Throws <see cref="TranslationBackendException"/>; its <see cref="TranslationBackendException.Transient"/>
    /// flag says whether retrying can help.
    /// </summary>
    Task<IReadOnlyList<string>> TranslateAsync(IReadOnlyList<string> texts, string source, string target, CancellationToken cancellationToken);
}

/// <summary>
/// A translation request failed. Transient failures (HTTP 429 and 5xx, network errors, timeouts) are retried by
/// <see cref="Translator"/>; the others (bad request, bad key, malformed response, a command that fails) stop the run
/// with a message naming the backend. Derives from <see cref="BioNerException"/> so the CLI reports it in one line.
/// </summary>
public sealed class TranslationBackendException : BioNerException
{
    /// <summary>Whether the same request may succeed later (rate limit, server error, network).</summary>
    public bool Transient { get; }

    /// <summary>How long the server asked to wait (HTTP <c>Retry-After</c>), when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The HTTP status code, for HTTP backends.</summary>
    public int? StatusCode { get; }

    /// <summary>Creates the error; <paramref name="backend"/> (the backend's name) prefixes the message.</summary>
    public TranslationBackendException(string backend, string message, bool transient = false, TimeSpan? retryAfter = null,
        int? statusCode = null, Exception? inner = null)
        : base($"translation backend {backend}: {message}", null, null, inner)
    {
        Transient = transient;
        RetryAfter = retryAfter;
        StatusCode = statusCode;
    }
}
