using BioNer.IO;
using Polly;

namespace BioNer.Checkpoints;

/// <summary>Progress of one file download: bytes on disk so far and the expected total when the server said it.</summary>
public sealed record HubProgress(string File, long BytesDone, long? BytesTotal, bool Done);

/// <summary>Settings of a <see cref="HubClient"/>; null values fall back to the HuggingFace environment variables.</summary>
public sealed record HubClientOptions
{
    /// <summary>Hub base URL; default <c>$HF_ENDPOINT</c> or <c>https://huggingface.co</c>.</summary>
    public string? Endpoint { get; init; }

    /// <summary>HF home whose <c>hub/</c> folder is the cache; default <c>$HF_HOME</c> or <c>~/.cache/huggingface</c>.</summary>
    public string? HfHome { get; init; }

    /// <summary>Access token sent as <c>Authorization: Bearer</c>; default <c>$HF_TOKEN</c>.</summary>
    public string? Token { get; init; }

    /// <summary>Attempts per file when the connection drops (each one resumes where the last stopped).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Timeout of one HTTP request (headers, and each read of the body).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Downloads a model's files from the HuggingFace hub into the HF cache layout,
/// <c>{HF_HOME}/hub/models--{owner}--{name}/snapshots/{revision}/</c>, so that BioNer, Python <c>transformers</c> users
/// and people copying files by hand all find them in one place. Why its own client: downloads must resume
/// (<c>.incomplete</c> file + HTTP Range), be verified (Content-Length, sha256 ETag), work offline once complete, and,
/// with no network, say exactly which files to put where.
/// </summary>
public sealed partial class HubClient : IDisposable
{
    /// <summary>Always needed.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>Weights, in order of preference: the first one the hub has is downloaded.</summary>
    public static readonly IReadOnlyList<string> WeightFiles = ["model.safetensors", "pytorch_model.bin"];

    /// <summary>Tokenizer and metadata files; each may be absent (404) for a given model.</summary>
    public static readonly IReadOnlyList<string> OptionalFiles =
        ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt", "vocab.txt"];

    private readonly HttpClient _http;
    private readonly string _endpoint;
    private readonly string _hubCache;
    private readonly string? _token;
    private readonly ResiliencePipeline _retry;

    /// <summary>Creates a client; see <see cref="HubClientOptions"/> for the defaults.</summary>
    public HubClient(HubClientOptions? options = null)
    {
        options ??= new HubClientOptions();
        _endpoint = (options.Endpoint ?? Env("HF_ENDPOINT") ?? "https://huggingface.co").TrimEnd('/');
        string hfHome = options.HfHome ?? Env("HF_HOME")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "huggingface");
        _hubCache = Path.Combine(hfHome, "hub");
        _token = options.Token ?? Env("HF_TOKEN");
        // A dropped transfer is tried again soon, and linearly later: each try resumes, so it loses no bytes.
        _retry = TransientRetry.Create(new TransientRetryOptions
        {
            MaxAttempts = options.MaxAttempts,
            IsTransient = IsNetworkFailure,
            Backoff = DelayBackoffType.Linear,
            Delay = TimeSpan.FromMilliseconds(100),
            Jitter = false,
        });
        // Redirects are followed by hand: the first response carries X-Linked-Etag, and the token must not follow
        // a redirect to another host (the CDN).
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = options.Timeout })
        {
            Timeout = options.Timeout,
        };
    }

    /// <summary>The folder the files of <paramref name="modelId"/> at <paramref name="revision"/> go to.</summary>
    public string SnapshotDir(string modelId, string revision = "main") =>
        Path.Combine(_hubCache, "models--" + modelId.Replace("/", "--"), "snapshots", revision);

    /// <summary>
    /// Makes sure <paramref name="modelId"/>'s files are in <see cref="SnapshotDir"/> and returns that folder. A complete
    /// folder (config, weights, a tokenizer) is returned without any network access; otherwise the missing files are
    /// downloaded, resuming partial ones. Unknown model, refused access, bad checksum or no network → <see cref="BioNerException"/>.
    /// </summary>
    public string Download(string modelId, string revision = "main", Action<HubProgress>? progress = null,
                           CancellationToken cancellationToken = default) =>
        DownloadAsync(modelId, revision, progress, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Asynchronous <see cref="Download"/>, for callers that are async themselves (the server).</summary>
    public async Task<string> DownloadAsync(string modelId, string revision = "main", Action<HubProgress>? progress = null,
                                            CancellationToken cancellationToken = default)
    {
        string dir = SnapshotDir(modelId, revision);
        if (IsComplete(dir)) return dir;
        Directory.CreateDirectory(dir);
        bool Has(string f) => File.Exists(Path.Combine(dir, f));
        Task<bool> Fetch(string f) => FetchAsync(modelId, revision, f, dir, progress, cancellationToken);
        try
        {
            if (!Has(ConfigFile) && !await Fetch(ConfigFile))
                throw new BioNerException($"model '{modelId}' (revision {revision}) not found on {_endpoint}: no {ConfigFile}. " +
                                          "Check the id, or set HF_TOKEN for a private or gated model.");
            bool haveWeights = WeightFiles.Any(Has);
            foreach (string w in WeightFiles)
                if (!haveWeights) haveWeights = await Fetch(w);
            if (!haveWeights)
                throw new BioNerException($"model '{modelId}' on {_endpoint} has neither {string.Join(" nor ", WeightFiles)}.");
            foreach (string f in OptionalFiles.Where(f => !Has(f)))
                await Fetch(f);
        }
        catch (Exception e) when (IsNetworkFailure(e, cancellationToken))
        {
            throw new BioNerException(OfflineMessage(modelId, revision, dir, e.Message), inner: e);
        }
        if (!IsComplete(dir))
            throw new BioNerException($"model '{modelId}' on {_endpoint} has no tokenizer files " +
                                      "(tokenizer.json, vocab.json + merges.txt, or vocab.txt).", dir);
        return dir;
    }

    /// <summary>
    /// True when <paramref name="dir"/> holds a usable model: <c>config.json</c>, one weights file, and a tokenizer
    /// (<c>tokenizer.json</c>, <c>vocab.json</c> + <c>merges.txt</c>, or <c>vocab.txt</c>).
    /// </summary>
    public static bool IsComplete(string dir)
    {
        bool Has(string f) => File.Exists(Path.Combine(dir, f));
        return Has(ConfigFile) && WeightFiles.Any(Has) &&
               (Has("tokenizer.json") || (Has("vocab.json") && Has("merges.txt")) || Has("vocab.txt"));
    }

    private string OfflineMessage(string modelId, string revision, string dir, string reason) =>
        $"cannot download '{modelId}' (revision {revision}) from {_endpoint}: {reason}. To use it offline, put its files " +
        $"in {dir}: {ConfigFile}; model.safetensors (or pytorch_model.bin); tokenizer.json, or vocab.json and merges.txt, " +
        "or vocab.txt; and tokenizer_config.json and special_tokens_map.json when the model has them. " +
        "Or pass the folder that holds them as --model.";

    private static bool IsNetworkFailure(Exception e, CancellationToken ct) =>
        e is HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested);

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
