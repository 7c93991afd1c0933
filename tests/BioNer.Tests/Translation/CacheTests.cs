using BioNer.Data;
using BioNer.Tests.Data;
using BioNer.Translation;

namespace BioNer.Tests.Translation;

public class CacheTests
{
    private static Corpus Sample() => new(
    [
        Fakes.S("The aspirin/B-Chemical dose is high ."),
        Fakes.S("aspirin/B-Chemical binds p53/B-Protein ."),
        Fakes.S("The acid/B-Chemical reduces inflammation ."),
        Fakes.S("HeLa/B-Cell cells/I-Cell and the aspirin/B-Chemical"),
        Fakes.S("No entity here ."),
    ]);

    [Theory]
    [InlineData(ProjectionMethod.Markers)]
    [InlineData(ProjectionMethod.Align)]
    public async Task TranslateAsync_SecondRun_MakesNoBackendCalls(ProjectionMethod method)
    {
        using var dir = new TempDir();
        using var server = new LoopbackServer(r => Fakes.Libre(r, Fakes.Spanish));
        string cachePath = dir.File("cache.jsonl");
        var options = new ProjectionOptions { Method = method };
        CorpusTranslationResult first, second;
        using (var backend = new LibreTranslateBackend(server.Url))
        using (var cache = TranslationCache.Open(cachePath))
            first = await CorpusTranslator.TranslateAsync(Sample(), new Translator(backend, Fakes.Options(batch: 2), cache), options);
        int requests = server.Count;
        Assert.True(requests >= 3);
        using (var backend = new LibreTranslateBackend(server.Url))
        using (var cache = TranslationCache.Open(cachePath))
            second = await CorpusTranslator.TranslateAsync(Sample(), new Translator(backend, Fakes.Options(batch: 2), cache), options);
        Assert.Equal(requests, server.Count);
        Assert.Equal(0, second.Report.Requests);
        Assert.Equal(second.Report.Texts, second.Report.CacheHits);
        Assert.Equal(first.Corpus.Sentences.Select(s => Fakes.Render(s.Words, s.Labels)), second.Corpus.Sentences.Select(s => Fakes.Render(s.Words, s.Labels)));
        Assert.Equal("La aspirina/B-Chemical dosis es alta .", Fakes.Render(first.Corpus.Sentences[0].Words, first.Corpus.Sentences[0].Labels));
    }

    [Fact]
    public async Task TranslateAsync_CrashMidway_ResumesWithoutRepaying()
    {
        using var dir = new TempDir();
        string cachePath = dir.File("cache.jsonl");
        int calls = 0;
        // The server fails (400) on its third request: two batches of two sentences are in the cache by then.
        using var server = new LoopbackServer(r => Interlocked.Increment(ref calls) == 3 ? new(400, """{"error": "boom"}""") : Fakes.Libre(r, Fakes.Spanish));
        using (var backend = new LibreTranslateBackend(server.Url))
        using (var cache = TranslationCache.Open(cachePath))
            await Assert.ThrowsAsync<TranslationBackendException>(() =>
                CorpusTranslator.TranslateAsync(Sample(), new Translator(backend, Fakes.Options(batch: 2), cache)));
        Assert.Equal(4, File.ReadAllLines(cachePath).Length);
        using (var backend = new LibreTranslateBackend(server.Url))
        using (var cache = TranslationCache.Open(cachePath))
        {
            var result = await CorpusTranslator.TranslateAsync(Sample(), new Translator(backend, Fakes.Options(batch: 2), cache));
            Assert.Equal(4, server.Count); // 3 in the crashed run, 1 for the fifth sentence
            Assert.Equal((4, 1), (result.Report.CacheHits, result.Report.Requests));
            Assert.Equal(5, result.Report.SentencesKept);
        }
    }

    [Fact]
    public void Open_TruncatedLastLine_SkipsItAndAppendsOnFreshLine()
    {
        using var dir = new TempDir();
        string path = dir.Write("c.jsonl",
            "{\"backend\":\"b\",\"source\":\"en\",\"target\":\"es\",\"text\":\"α 🧪\",\"translation\":\"α 🧪 es\"}\n{\"backend\":\"b\",\"sou");
        using (var cache = TranslationCache.Open(path))
        {
            Assert.Equal((1, 1), (cache.Count, cache.SkippedLines));
            Assert.True(cache.TryGet("b", "en", "es", "α 🧪", out var t));
            Assert.Equal("α 🧪 es", t);
            cache.Add("b", "en", "es", [("dose", "dosis")]);
        }
        using var reopened = TranslationCache.Open(path);
        Assert.Equal((2, 1), (reopened.Count, reopened.SkippedLines));
        Assert.True(reopened.TryGet("b", "en", "es", "dose", out var d));
        Assert.Equal("dosis", d);
        Assert.False(reopened.TryGet("b", "en", "fr", "dose", out _));
    }

    [Fact]
    public async Task TranslateAsync_Duplicates_TranslatedOnceAndProgressReachesTotal()
    {
        var backend = new FakeBackend(Fakes.Spanish);
        var seen = new List<TranslationProgress>();
        var translator = new Translator(backend, Fakes.Options(batch: 2));
        var result = await translator.TranslateAsync(["aspirin", "dose", "aspirin", "", "high", "dose"], seen.Add);
        Assert.Equal(["aspirina", "dosis", "aspirina", "", "alta", "dosis"], result);
        Assert.Equal(["aspirin", "dose", "high"], backend.Seen);
        Assert.Equal(2, backend.Calls);
        Assert.Equal((4, 4), (seen[^1].Done, seen[^1].Total));
        Assert.Equal(TimeSpan.Zero, seen[^1].Eta);
        Assert.True(seen.Select(p => p.Done).SequenceEqual(seen.Select(p => p.Done).Order()));
    }
}
