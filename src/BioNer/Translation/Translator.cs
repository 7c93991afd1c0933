using System.Diagnostics;
using BioNer.IO;
using Polly;

namespace BioNer.Translation;

/// <summary>How <see cref="Translator"/> talks to its backend.</summary>
public sealed record TranslatorOptions
{
    /// <summary>Source language code (e.g. <c>en</c>).</summary>
    public string Source { get; init; } = "en";

    /// <summary>Target language code (e.g. <c>es</c>).</summary>
    public string Target { get; init; } = "es";

    /// <summary>Texts per backend request (<c>--batch</c>).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>At most this many requests per second (<c>--max-rps</c>); 0 = no limit.</summary>
    public double MaxRequestsPerSecond { get; init; }

    /// <summary>Tries per batch before a transient failure (429, 5xx, network) stops the run.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>
    /// First wait before a retry (its median: the waits are jittered); doubled on each further try (exponential backoff),
    /// up to <see cref="MaxDelay"/>.
    /// </summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest backoff wait (a server's <c>Retry-After</c> is honoured up to <see cref="MaxRetryAfter"/>).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest <c>Retry-After</c> that is waited out; a longer one is waited for this long.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Checks the values, naming the CLI option on error.</summary>
    public void Validate()
    {
        if (BatchSize < 1) throw new BioNerException($"--batch: must be at least 1 (got {BatchSize})");
        if (MaxRequestsPerSecond < 0 || double.IsNaN(MaxRequestsPerSecond)) throw new BioNerException($"--max-rps: must be 0 (no limit) or positive (got {MaxRequestsPerSecond})");
        if (MaxAttempts < 1) throw new BioNerException($"--max-attempts: must be at least 1 (got {MaxAttempts})");
        if (string.IsNullOrWhiteSpace(Source)) throw new BioNerException("--source: language code is empty");
        if (string.IsNullOrWhiteSpace(Target)) throw new BioNerException("--target: language code is empty");
    }
}

/// <summary>Where a translation run stands, for progress display.</summary>
/// <param name="Done">Texts translated so far (including those found in the cache).</param>
/// <param name="Total">Texts to translate in this run.</param>
/// <param name="FromCache">Of <paramref name="Done"/>, how many came from the cache.</param>
/// <param name="Elapsed">Time since the run started.</param>
public sealed record TranslationProgress(int Done, int Total, int FromCache, TimeSpan Elapsed)
{
    /// <summary>Estimated time left, from the pace of the texts the backend translated; null before the first batch.</summary>
    public TimeSpan? Eta => Done > FromCache && Done < Total
        ? TimeSpan.FromTicks((long)(Elapsed.Ticks / (double)(Done - FromCache) * (Total - Done)))
        : Done >= Total ? TimeSpan.Zero : null;
}

/// <summary>
/// Translates lists of strings through an <see cref="ITranslationBackend"/> the careful way: duplicates translated
/// once, past translations taken from the <see cref="TranslationCache"/>, the rest sent in batches of
/// <see cref="TranslatorOptions.BatchSize"/>, no faster than <see cref="TranslatorOptions.MaxRequestsPerSecond"/>,
/// transient failures retried with exponential backoff (honouring <c>Retry-After</c>), and each batch written to the
/// cache as soon as it arrives.
/// </summary>
public sealed class Translator
{
    private readonly TranslatorOptions _options;
    private readonly TranslationCache? _cache;
    private readonly ResiliencePipeline _retry;
    private long _nextRequestTicks;

    /// <summary>Uses <paramref name="backend"/> (not owned) with <paramref name="options"/>, and <paramref name="cache"/> when given (not owned).</summary>
    public Translator(ITranslationBackend backend, TranslatorOptions options, TranslationCache? cache = null)
    {
        options.Validate();
        Backend = backend;
        _options = options;
        _cache = cache;
        _retry = TransientRetry.Create(new TransientRetryOptions
        {
            MaxAttempts = options.MaxAttempts,
            IsTransient = (e, _) => e is TranslationBackendException { Transient: true },
            RetryAfter = e => (e as TranslationBackendException)?.RetryAfter,
            Delay = options.InitialDelay,
            MaxDelay = options.MaxDelay,
            MaxRetryAfter = options.MaxRetryAfter,
            OnRetry = _ => Retries++,
        });
    }

    /// <summary>The engine.</summary>
    public ITranslationBackend Backend { get; }

    /// <summary>The options in use.</summary>
    public TranslatorOptions Options => _options;

    /// <summary>Requests sent to the backend (each try counts).</summary>
    public int Requests { get; private set; }

    /// <summary>Retries after transient failures.</summary>
    public int Retries { get; private set; }

    /// <summary>Distinct texts answered from the cache.</summary>
    public int CacheHits { get; private set; }

    /// <summary>Distinct texts the backend translated.</summary>
    public int BackendTexts { get; private set; }

    /// <summary>Translates <paramref name="texts"/>; the result has one translation per text, in order.</summary>
    public async Task<IReadOnlyList<string>> TranslateAsync(IReadOnlyList<string> texts, Action<TranslationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var done = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (string text in texts.Distinct(StringComparer.Ordinal))
        {
            if (text.Trim().Length == 0) done[text] = text;
            else if (_cache is not null && _cache.TryGet(Backend.Name, _options.Source, _options.Target, text, out string hit)) done[text] = hit;
            else missing.Add(text);
        }
        int total = done.Count + missing.Count, fromCache = done.Count;
        CacheHits += done.Count(d => d.Key.Trim().Length > 0);
        progress?.Invoke(new(done.Count, total, fromCache, clock.Elapsed));
        foreach (var batch in missing.Chunk(_options.BatchSize))
        {
            var translated = await TranslateBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < batch.Length; i++) done[batch[i]] = translated[i];
            BackendTexts += batch.Length;
            _cache?.Add(Backend.Name, _options.Source, _options.Target, batch.Zip(translated));
            progress?.Invoke(new(done.Count, total, fromCache, clock.Elapsed));
        }
        return texts.Select(t => done[t]).ToList();
    }

    // Each try waits for the rate limit and counts as a request; a transient failure on the last try says how many there were.
    private async Task<IReadOnlyList<string>> TranslateBatchAsync(string[] batch, CancellationToken ct)
    {
        int tries = 0;
        try
        {
            return await _retry.ExecuteAsync(async token =>
            {
                tries++;
                await WaitForRateLimitAsync(token).ConfigureAwait(false);
                Requests++;
                var result = await Backend.TranslateAsync(batch, _options.Source, _options.Target, token).ConfigureAwait(false);
                if (result.Count != batch.Length)
                    throw new TranslationBackendException(Backend.Name, $"returned {result.Count} translations for {batch.Length} texts");
                return result;
            }, ct).ConfigureAwait(false);
        }
        catch (TranslationBackendException e) when (e.Transient)
        {
            ct.ThrowIfCancellationRequested();
            throw new TranslationBackendException(Backend.Name, $"gave up after {tries} tries: {e.Message}", inner: e);
        }
    }

    private async Task WaitForRateLimitAsync(CancellationToken ct)
    {
        if (_options.MaxRequestsPerSecond <= 0) return;
        long now = Stopwatch.GetTimestamp();
        long interval = (long)(Stopwatch.Frequency / _options.MaxRequestsPerSecond);
        long start = Math.Max(now, _nextRequestTicks);
        _nextRequestTicks = start + interval;
        if (start > now) await Task.Delay(TimeSpan.FromSeconds((start - now) / (double)Stopwatch.Frequency), ct).ConfigureAwait(false);
    }
}
