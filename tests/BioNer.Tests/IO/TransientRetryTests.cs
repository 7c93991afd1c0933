using BioNer.IO;
using Polly;

namespace BioNer.Tests.IO;

public class TransientRetryTests
{
    private sealed class Flaky(bool transient, TimeSpan? retryAfter = null) : Exception("flaky")
    {
        public bool Transient { get; } = transient;
        public TimeSpan? RetryAfter { get; } = retryAfter;
    }

    private static (ResiliencePipeline Pipeline, List<TimeSpan> Waits) Pipeline(int attempts, DelayBackoffType backoff = DelayBackoffType.Exponential,
        int delayMs = 1, int maxDelayMs = 1000, int maxRetryAfterMs = 1000)
    {
        var waits = new List<TimeSpan>();
        var pipeline = TransientRetry.Create(new TransientRetryOptions
        {
            MaxAttempts = attempts,
            IsTransient = (e, ct) => e is Flaky { Transient: true } && !ct.IsCancellationRequested,
            RetryAfter = e => (e as Flaky)?.RetryAfter,
            Backoff = backoff,
            Delay = TimeSpan.FromMilliseconds(delayMs),
            MaxDelay = TimeSpan.FromMilliseconds(maxDelayMs),
            MaxRetryAfter = TimeSpan.FromMilliseconds(maxRetryAfterMs),
            Jitter = false,
            OnRetry = waits.Add,
        });
        return (pipeline, waits);
    }

    private static async Task<int> RunFailing(ResiliencePipeline pipeline, Func<Exception> failure, CancellationToken ct = default)
    {
        int calls = 0;
        await Assert.ThrowsAnyAsync<Exception>(async () => await pipeline.ExecuteAsync(_ =>
        {
            calls++;
            throw failure();
        }, ct));
        return calls;
    }

    [Fact]
    public async Task Create_TransientAlways_GivesUpAfterMaxAttemptsWithLastFailure()
    {
        var (pipeline, waits) = Pipeline(3);
        int calls = 0;
        var e = await Assert.ThrowsAsync<Flaky>(async () => await pipeline.ExecuteAsync<int>(_ => throw new Flaky(true) { Data = { ["try"] = ++calls } }));
        Assert.Equal(3, calls);
        Assert.Equal(3, e.Data["try"]);
        Assert.Equal(2, waits.Count);
    }

    [Fact]
    public async Task Create_NonTransient_ThrownAtOnce()
    {
        var (pipeline, waits) = Pipeline(5);
        Assert.Equal(1, await RunFailing(pipeline, () => new Flaky(false)));
        Assert.Equal(1, await RunFailing(pipeline, () => new InvalidOperationException()));
        Assert.Empty(waits);
    }

    [Fact]
    public async Task Create_TransientThenSuccess_ReturnsResult()
    {
        var (pipeline, waits) = Pipeline(4);
        int calls = 0;
        int result = await pipeline.ExecuteAsync(_ => ++calls < 3 ? throw new Flaky(true) : ValueTask.FromResult(42));
        Assert.Equal((42, 3, 2), (result, calls, waits.Count));
    }

    [Fact]
    public async Task Create_OneAttempt_RunsOnce()
    {
        var (pipeline, waits) = Pipeline(1);
        Assert.Equal(1, await RunFailing(pipeline, () => new Flaky(true)));
        Assert.Empty(waits);
    }

    [Fact]
    public async Task Create_Exponential_WaitsDoubleUpToMaxDelay()
    {
        var (pipeline, waits) = Pipeline(6, delayMs: 1, maxDelayMs: 4);
        Assert.Equal(6, await RunFailing(pipeline, () => new Flaky(true)));
        Assert.Equal([1, 2, 4, 4, 4], waits.Select(w => w.TotalMilliseconds));
    }

    [Fact]
    public async Task Create_Linear_WaitsGrowByDelay()
    {
        var (pipeline, waits) = Pipeline(4, DelayBackoffType.Linear, delayMs: 2);
        Assert.Equal(4, await RunFailing(pipeline, () => new Flaky(true)));
        Assert.Equal([2, 4, 6], waits.Select(w => w.TotalMilliseconds));
    }

    [Fact]
    public async Task Create_RetryAfter_ReplacesBackoffAndIsCappedByMaxRetryAfter()
    {
        var (pipeline, waits) = Pipeline(3, delayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 20);
        int calls = 0;
        await Assert.ThrowsAsync<Flaky>(async () => await pipeline.ExecuteAsync<int>(_ =>
            throw new Flaky(true, ++calls == 1 ? TimeSpan.FromMilliseconds(10) : TimeSpan.FromHours(1))));
        Assert.Equal([10, 20], waits.Select(w => w.TotalMilliseconds)); // above MaxDelay: Retry-After wins, up to its own cap
    }

    [Fact]
    public async Task Create_CallerCancelled_NotRetried()
    {
        var (pipeline, waits) = Pipeline(5);
        using var cts = new CancellationTokenSource();
        int calls = await RunFailing(pipeline, () =>
        {
            cts.Cancel();
            return new Flaky(true);
        }, cts.Token);
        Assert.Equal(1, calls);
        Assert.Empty(waits);
    }

    [Theory]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(456, false)]
    public void IsTransientStatus_Status_RetriesRateLimitAndServerErrorsOnly(int status, bool transient) =>
        Assert.Equal(transient, TransientRetry.IsTransientStatus(status));
}
