using BioNer.Checkpoints;

namespace BioNer.Tests.Hub;

public sealed class ModelResolverTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), $"bioner-home-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_home)) Directory.Delete(_home, recursive: true);
    }

    private HubClient OfflineHub() => new(new HubClientOptions
    {
        Endpoint = $"http://127.0.0.1:{FakeHubServer.FreePort()}", HfHome = Path.Combine(_home, "hf"), MaxAttempts = 1,
    });

    [Fact]
    public void Resolve_ExistingFolder_ReturnsItself()
    {
        string fixture = Path.Combine(AppContext.BaseDirectory, "fixtures", "roberta-tiny");
        using var hub = OfflineHub();
        Assert.Equal(fixture, ModelResolver.Resolve(fixture, null, _home, hub));
    }

    [Fact]
    [Trait("Category", Category.Slow)]
    public void Resolve_MiniLm_ImportedOnceThenReusedAndRepairedWhenIncomplete()
    {
        using var hub = OfflineHub();
        var log = new List<string>();
        string dir = ModelResolver.Resolve("minilm", log.Add, _home, hub);
        Assert.Equal(Path.Combine(_home, "models", "minilm"), dir);
        Assert.All(MiniLmImporter.Files, f => Assert.True(File.Exists(Path.Combine(dir, f)), f));
        var written = File.GetLastWriteTimeUtc(Path.Combine(dir, "model.safetensors"));

        log.Clear();
        Assert.Equal(dir, ModelResolver.Resolve("MiniLM", log.Add, _home, hub));
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(dir, "model.safetensors")));
        Assert.Contains(log, l => l.Contains("using"));

        File.Delete(Path.Combine(dir, "vocab.txt"));
        log.Clear();
        ModelResolver.Resolve("minilm", log.Add, _home, hub);
        Assert.True(File.Exists(Path.Combine(dir, "vocab.txt")));
        Assert.Contains(log, l => l.Contains("lacks vocab.txt"));
    }

    [Fact]
    public void Resolve_HubId_DownloadsThroughHubClient()
    {
        string fixture = Path.Combine(AppContext.BaseDirectory, "fixtures", "roberta-tiny");
        using var server = new FakeHubServer(fixture, "bioner/roberta-tiny");
        using var hub = new HubClient(new HubClientOptions { Endpoint = server.Endpoint, HfHome = Path.Combine(_home, "hf") });
        string dir = ModelResolver.Resolve("bioner/roberta-tiny", null, _home, hub);
        Assert.Equal(hub.SnapshotDir("bioner/roberta-tiny"), dir);
        Assert.True(HubClient.IsComplete(dir));
    }

    [Fact]
    public void Resolve_NeitherFolderNorBuiltInNorHubId_ThrowsNamingTheValue()
    {
        using var hub = OfflineHub();
        var e = Assert.Throws<BioNerException>(() => ModelResolver.Resolve("no_such_dir/x/y", null, _home, hub));
        Assert.Contains("'no_such_dir/x/y'", e.Message);
        Assert.Contains("minilm", e.Message);
    }
}
