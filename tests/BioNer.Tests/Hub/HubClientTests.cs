using BioNer.Checkpoints;

namespace BioNer.Tests.Hub;

public sealed class HubClientTests : IDisposable
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "fixtures", "roberta-tiny");
    private const string Id = "bioner/roberta-tiny";
    private readonly string _hfHome = Path.Combine(Path.GetTempPath(), $"bioner-hf-{Guid.NewGuid():N}");
    private readonly FakeHubServer _server = new(Fixture, Id);

    private HubClient Client(string? endpoint = null, string? token = null) => new(new HubClientOptions
    {
        Endpoint = endpoint ?? _server.Endpoint, HfHome = _hfHome, Token = token, Timeout = TimeSpan.FromSeconds(10),
    });

    public void Dispose()
    {
        _server.Dispose();
        if (Directory.Exists(_hfHome)) Directory.Delete(_hfHome, recursive: true);
    }

    private static void AssertSameFile(string name, string dir) =>
        Assert.Equal(File.ReadAllBytes(Path.Combine(Fixture, name)), File.ReadAllBytes(Path.Combine(dir, name)));

    [Fact]
    public void Download_ServedModel_FilesIdenticalInHfCacheAndMissingOptionalsSkipped()
    {
        using var client = Client(token: "hf_test");
        var progress = new List<HubProgress>();
        string dir = client.Download(Id, progress: progress.Add);

        Assert.Equal(Path.Combine(_hfHome, "hub", "models--bioner--roberta-tiny", "snapshots", "main"), dir);
        foreach (var f in new[] { "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "vocab.json", "merges.txt" })
            AssertSameFile(f, dir);
        Assert.False(File.Exists(Path.Combine(dir, "pytorch_model.bin")));       // safetensors preferred
        Assert.False(File.Exists(Path.Combine(dir, "special_tokens_map.json"))); // 404 on the server
        Assert.Empty(Directory.GetFiles(dir, "*.incomplete"));
        Assert.Contains(_server.Requests, r => r.StartsWith($"/{Id}/resolve/main/special_tokens_map.json|"));
        Assert.All(_server.Requests, r => Assert.EndsWith("|Bearer hf_test", r));
        var done = Assert.Single(progress, p => p.File == "model.safetensors" && p.Done);
        Assert.Equal(new FileInfo(Path.Combine(Fixture, "model.safetensors")).Length, done.BytesDone);
        Assert.Equal(done.BytesDone, done.BytesTotal);
    }

    [Fact]
    public void Download_CompleteSnapshot_ReusedWithoutNetwork()
    {
        string dir;
        using (var client = Client()) dir = client.Download(Id);
        _server.Dispose();
        int before = _server.Requests.Count;
        using var offline = Client(endpoint: $"http://127.0.0.1:{FakeHubServer.FreePort()}");
        Assert.Equal(dir, offline.Download(Id));
        Assert.Equal(before, _server.Requests.Count);
    }

    [Fact]
    public void Download_TruncatedIncompleteFile_ResumesWithRangeRequest()
    {
        using var client = Client();
        string dir = client.SnapshotDir(Id);
        Directory.CreateDirectory(dir);
        byte[] full = File.ReadAllBytes(Path.Combine(Fixture, "model.safetensors"));
        File.WriteAllBytes(Path.Combine(dir, "model.safetensors.incomplete"), full[..1000]);

        client.Download(Id);

        AssertSameFile("model.safetensors", dir);
        Assert.Contains($"/{Id}/resolve/main/model.safetensors|bytes=1000-|", _server.Requests);
        Assert.False(File.Exists(Path.Combine(dir, "model.safetensors.incomplete")));
    }

    [Fact]
    public void Download_ServerDropsConnectionMidFile_ResumesAndCompletes()
    {
        _server.DropFile = "model.safetensors";
        _server.DropAfterBytes = 200_000;
        _server.Drops = 2;
        using var client = Client();
        string dir = client.Download(Id);

        AssertSameFile("model.safetensors", dir);
        var tries = _server.Requests.Where(r => r.StartsWith($"/{Id}/resolve/main/model.safetensors|")).ToList();
        Assert.Equal(3, tries.Count);
        Assert.Equal($"/{Id}/resolve/main/model.safetensors||", tries[0]);
        Assert.StartsWith($"/{Id}/resolve/main/model.safetensors|bytes=", tries[2]); // resumed, not restarted
    }

    [Fact]
    public void Download_ConnectionDropsEveryTry_GivesUpAfterMaxAttempts()
    {
        _server.DropFile = "model.safetensors";
        _server.DropAfterBytes = 200_000;
        _server.Drops = 100;
        using var client = new HubClient(new HubClientOptions
        {
            Endpoint = _server.Endpoint, HfHome = _hfHome, MaxAttempts = 2, Timeout = TimeSpan.FromSeconds(10),
        });
        var e = Assert.Throws<BioNerException>(() => client.Download(Id));
        Assert.Contains("cannot download", e.Message);
        Assert.Equal(2, _server.Requests.Count(r => r.StartsWith($"/{Id}/resolve/main/model.safetensors|")));
        Assert.True(File.Exists(Path.Combine(client.SnapshotDir(Id), "model.safetensors.incomplete"))); // kept for the next run
    }

    [Fact]
    public void Download_RedirectWithLinkedEtag_FollowedAndVerified()
    {
        _server.RedirectFile = "model.safetensors";
        using var client = Client(token: "hf_secret");
        string dir = client.Download(Id);
        AssertSameFile("model.safetensors", dir);
        Assert.Contains("/cdn/model.safetensors||Bearer hf_secret", _server.Requests); // same host keeps the token
    }

    [Fact]
    public void Download_WrongSha256Etag_ThrowsAndKeepsNoFile()
    {
        _server.CorruptEtagFile = "model.safetensors";
        using var client = Client();
        var e = Assert.Throws<BioNerException>(() => client.Download(Id));
        Assert.Contains("sha256", e.Message);
        Assert.Contains("model.safetensors", e.Message);
        string dir = client.SnapshotDir(Id);
        Assert.False(File.Exists(Path.Combine(dir, "model.safetensors")));
        Assert.False(File.Exists(Path.Combine(dir, "model.safetensors.incomplete")));
    }

    [Fact]
    public void Download_NoServer_MessageNamesFolderAndFiles()
    {
        using var client = Client(endpoint: $"http://127.0.0.1:{FakeHubServer.FreePort()}");
        var e = Assert.Throws<BioNerException>(() => client.Download("someone/some-model", "v1"));
        string dir = Path.Combine(_hfHome, "hub", "models--someone--some-model", "snapshots", "v1");
        Assert.Contains($"put its files in {dir}:", e.Message);
        foreach (var f in new[] { "config.json", "model.safetensors", "pytorch_model.bin", "tokenizer.json", "vocab.json", "merges.txt", "vocab.txt" })
            Assert.Contains(f, e.Message);
    }

    [Fact]
    public void Download_UnknownModel_ThrowsNotFound()
    {
        using var client = Client();
        var e = Assert.Throws<BioNerException>(() => client.Download("bioner/does-not-exist"));
        Assert.Contains("not found", e.Message);
        Assert.Contains("config.json", e.Message);
    }
}
