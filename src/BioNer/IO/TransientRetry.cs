using Polly;
using Polly.Retry;

namespace BioNer.IO;

/// <summary>
/// The one retry pipeline (Polly) of every call that leaves the process and can fail for a moment: translation
/// backends and hub downloads. Why one place: what is retried, how long to wait, when to honour <c>Retry-After</c> and
/// when to give up should read the same for every caller, and be tested once.
/// </summary>
internal static class TransientRetry
{
    /// <summary>HTTP statuses worth another try: 429 (rate limit) and 5xx (server error); other 4xx are the request's fault.</summary>
    public static bool IsTransientStatus(int status) => status == 429 || status >= 500;

    /// <summary>
    /// A pipeline that runs a call up to <see cref="TransientRetryOptions.MaxAttempts"/> times while it fails with a
    /// transient exception, waiting the failure's <c>Retry-After</c> (capped) or else the backoff between tries. The
    /// last failure, or the first non-transient one, is rethrown unchanged.
    /// </summary>
    public static ResiliencePipeline Create(TransientRetryOptions options)
    {
        if (options.MaxAttempts <= 1) return ResiliencePipeline.Empty;
        return new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = options.MaxAttempts - 1,
            BackoffType = options.Backoff,
            Delay = options.Delay,
            MaxDelay = options.MaxDelay,
            UseJitter = options.Jitter,
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is { } e && options.IsTransient(e, args.Context.CancellationToken)),
            DelayGenerator = args => ValueTask.FromResult(
                args.Outcome.Exception is { } e && options.RetryAfter?.Invoke(e) is { } wait
                    ? (TimeSpan?)(wait < options.MaxRetryAfter ? wait : options.MaxRetryAfter)
                    : null),
            OnRetry = args =>
            {
                options.OnRetry?.Invoke(args.RetryDelay);
                return default;
            },
        }).Build();
    }
}
