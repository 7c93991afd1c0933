using Polly;

namespace BioNer.IO;

/// <summary>
/// How <see cref="TransientRetry.Create"/> retries one kind of call. Why the caller says what is transient: each
/// stage knows its own failures (a translation backend marks its exceptions, the hub client sees dropped connections),
/// while the waiting, counting and giving up are the same everywhere.
/// </summary>
internal sealed record TransientRetryOptions
{
    /// <summary>Tries in all, the first one included; 1 means no retry.</summary>
    public required int MaxAttempts { get; init; }

    /// <summary>
    /// Whether a failure may go away on a later try. The token is the caller's, so that a cancellation it asked for is
    /// not mistaken for a timeout.
    /// </summary>
    public required Func<Exception, CancellationToken, bool> IsTransient { get; init; }

    /// <summary>How the wait grows from try to try.</summary>
    public DelayBackoffType Backoff { get; init; } = DelayBackoffType.Exponential;

    /// <summary>Wait before the first retry (with jitter: its median).</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest backoff wait; a server's <c>Retry-After</c> is capped by <see cref="MaxRetryAfter"/> instead.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Spread the waits at random (Polly's decorrelated jitter), so clients that failed together retry apart.</summary>
    public bool Jitter { get; init; } = true;

    /// <summary>The wait a failure asks for (HTTP <c>Retry-After</c>), which replaces the backoff; null = none.</summary>
    public Func<Exception, TimeSpan?>? RetryAfter { get; init; }

    /// <summary>Longest <c>Retry-After</c> that is waited out; a longer one is waited for this long.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Called before each retry with the wait chosen (for counters and tests).</summary>
    public Action<TimeSpan>? OnRetry { get; init; }
}
