using System.Threading.Channels;
using BioNer.Inference;

namespace BioNer.Server;

/// <summary>
/// Gathers texts from concurrent requests into shared forward passes: a background loop takes the first waiting
/// request, keeps collecting for at most <see cref="MaxDelay"/> or until <see cref="MaxTexts"/> texts are queued, scores
/// them in one <see cref="NerPipeline.Score"/> call, and completes every request. Why: one batch of 16 windows costs far
/// less than 16 single-window passes, and the model runs on one thread at a time anyway.
/// </summary>
public sealed class BatchingQueue : IAsyncDisposable
{
    private sealed record Job(IReadOnlyList<string> Texts, TaskCompletionSource<IReadOnlyList<ScoredDocument>> Done);

    private readonly NerPipeline _pipeline;
    private readonly Channel<Job> _jobs = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private long _batches;

    /// <summary>Starts the background loop over <paramref name="pipeline"/>.</summary>
    public BatchingQueue(NerPipeline pipeline, int maxTexts = 32, TimeSpan? maxDelay = null)
    {
        _pipeline = pipeline;
        MaxTexts = Math.Max(1, maxTexts);
        MaxDelay = maxDelay ?? TimeSpan.FromMilliseconds(5);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Most texts scored in one pass (a single request with more is still scored whole).</summary>
    public int MaxTexts { get; }

    /// <summary>Longest time the first request of a batch waits for others to join.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>Number of batches scored so far (for tests and metrics).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Queues <paramref name="texts"/> and completes with their scores once their batch has run.</summary>
    public Task<IReadOnlyList<ScoredDocument>> ScoreAsync(IReadOnlyList<string> texts, CancellationToken cancel = default)
    {
        var done = new TaskCompletionSource<IReadOnlyList<ScoredDocument>>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_jobs.Writer.TryWrite(new Job(texts, done))) done.SetException(new ObjectDisposedException(nameof(BatchingQueue)));
        return done.Task.WaitAsync(cancel);
    }

    private async Task RunAsync()
    {
        var reader = _jobs.Reader;
        while (await reader.WaitToReadAsync())
        {
            var batch = new List<Job>();
            int texts = 0;
            using var window = new CancellationTokenSource(MaxDelay);
            while (texts < MaxTexts)
            {
                if (reader.TryRead(out var job)) { batch.Add(job); texts += job.Texts.Count; continue; }
                if (batch.Count > 0 && window.IsCancellationRequested) break;
                try { if (!await reader.WaitToReadAsync(window.Token)) break; }
                catch (OperationCanceledException) { break; }
            }
            if (batch.Count > 0) Run(batch);
        }
    }

    private void Run(List<Job> batch)
    {
        try
        {
            var scored = _pipeline.Score(batch.SelectMany(j => j.Texts).ToList());
            int at = 0;
            foreach (var job in batch)
            {
                job.Done.SetResult(scored.Skip(at).Take(job.Texts.Count).ToList());
                at += job.Texts.Count;
            }
        }
        catch (Exception e)
        {
            foreach (var job in batch) job.Done.TrySetException(e);
        }
        Interlocked.Increment(ref _batches);
    }

    /// <summary>Stops taking requests, finishes those queued, and waits for the loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        await _loop;
    }
}
