using System.Diagnostics;
using System.Net.Http.Json;
using BioNer.Inference;
using BioNer.Server;

namespace BioNer.Benchmarks;

/// <summary>
/// Bounded loopback load test of <c>bioner serve</c>: starts the server in-process on 127.0.0.1 (free port), runs N
/// concurrent clients posting abstract-sized texts for M seconds, and reports latency p50/p99, throughput, errors
/// (must be 0) and memory before/after. Options: --model DIR --clients N --seconds M --words W.
/// </summary>
public static class ServeLoadBenchmark
{
    public static int Run(string[] args)
    {
        string model = Option(args, "--model", "tests/BioNer.Tests/fixtures/roberta-tiny");
        int clients = int.Parse(Option(args, "--clients", "16"));
        int seconds = int.Parse(Option(args, "--seconds", "20"));
        int words = int.Parse(Option(args, "--words", "200"));
        return RunAsync(model, clients, seconds, words).GetAwaiter().GetResult();
    }

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static async Task<int> RunAsync(string model, int clients, int seconds, int words)
    {
        using var pipeline = NerPipeline.Load(model);
        var info = ModelInfo.Read(model, pipeline.Labels, pipeline.EntityTypes);
        await using var app = NerServer.Build(pipeline, info, new ServerOptions { Port = 0 });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = NerServer.BoundAddress(app) };
        string[] vocabulary = ["Mutations", "in", "the", "BRCA1", "gene", "cause", "tumours", "in", "mice", "treated", "with", "aspirin", ".", "Pax6", "expression", "(", "p", "<", "0.05", ")"];
        var texts = Enumerable.Range(0, 64).Select(seed =>
        {
            var rng = new Random(seed);
            return string.Join(" ", Enumerable.Range(0, words).Select(_ => vocabulary[rng.Next(vocabulary.Length)]));
        }).ToArray();
        await http.PostAsJsonAsync("/v1/ner", new { text = texts[0] }); // warm-up

        var process = Process.GetCurrentProcess();
        GC.Collect();
        long managedBefore = GC.GetTotalMemory(true), rssBefore = process.WorkingSet64;
        var latencies = new List<double>[clients];
        int errors = 0;
        var stop = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, clients).Select(async c =>
        {
            latencies[c] = [];
            int n = c;
            while (stop.Elapsed.TotalSeconds < seconds)
            {
                var watch = Stopwatch.StartNew();
                using var response = await http.PostAsJsonAsync("/v1/ner", new { text = texts[n++ % texts.Length] });
                await response.Content.ReadAsByteArrayAsync();
                latencies[c].Add(watch.Elapsed.TotalMilliseconds);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
            }
        }).ToList();
        await Task.WhenAll(tasks);
        double elapsed = stop.Elapsed.TotalSeconds;
        GC.Collect();
        process.Refresh();
        long managedAfter = GC.GetTotalMemory(true), rssAfter = process.WorkingSet64;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double P(double q) => all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        var queue = app.Services.GetService(typeof(BatchingQueue)) as BatchingQueue;
        Console.WriteLine($"model {model}, {clients} clients, {seconds} s, {words}-word texts, {Environment.ProcessorCount} cores");
        Console.WriteLine($"requests {all.Length}, errors {errors}, throughput {all.Length / elapsed:F1} req/s ({all.Length * words / elapsed:F0} words/s), batches {queue?.Batches}");
        Console.WriteLine($"latency p50 {P(0.50):F1} ms, p99 {P(0.99):F1} ms, max {all[^1]:F1} ms");
        Console.WriteLine($"memory managed {managedBefore / 1048576.0:F1} → {managedAfter / 1048576.0:F1} MiB, RSS {rssBefore / 1048576.0:F0} → {rssAfter / 1048576.0:F0} MiB");
        await app.StopAsync();
        return errors == 0 ? 0 : 1;
    }
}
