using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace BioNer.Tests.Hub;

/// <summary>
/// Serves a model folder on 127.0.0.1 the way the hub does: GET /{owner}/{name}/resolve/{rev}/{file}, 404 for absent
/// files, Range requests (206 + Content-Range), sha256 as X-Linked-Etag, and on request a first response that is cut off
/// after <see cref="DropAfterBytes"/> bytes, a wrong checksum, or a redirect to a "CDN" path.
/// </summary>
internal sealed class FakeHubServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly string _modelId;
    private readonly Task _loop;
    private int _dropsLeft;

    public FakeHubServer(string modelFolder, string modelId = "bioner/roberta-tiny")
    {
        _root = modelFolder;
        _modelId = modelId;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(Loop);
    }

    public int Port { get; }
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Requests seen: "path|Range header|Authorization header".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>File whose first <see cref="Drops"/> responses are cut off after <see cref="DropAfterBytes"/> bytes.</summary>
    public string? DropFile { get; set; }
    public long DropAfterBytes { get; set; }
    public int Drops { set => _dropsLeft = value; }

    /// <summary>File served with a wrong sha256 ETag.</summary>
    public string? CorruptEtagFile { get; set; }

    /// <summary>File answered by a 302 to /cdn/... (with X-Linked-Etag on the redirect, as the hub does).</summary>
    public string? RedirectFile { get; set; }

    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private async Task Loop()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            try { Handle(ctx); }
            catch (Exception) { try { ctx.Response.Abort(); } catch (Exception) { } }
        }
    }

    private void Handle(HttpListenerContext ctx)
    {
        string path = ctx.Request.Url!.AbsolutePath;
        Requests.Enqueue($"{path}|{ctx.Request.Headers["Range"]}|{ctx.Request.Headers["Authorization"]}");
        var res = ctx.Response;
        string prefix = $"/{_modelId}/resolve/main/", cdn = "/cdn/";
        string? file = path.StartsWith(prefix) ? path[prefix.Length..] : path.StartsWith(cdn) ? path[cdn.Length..] : null;
        string? local = file is null ? null : Path.Combine(_root, file);
        if (local is null || !File.Exists(local))
        {
            res.StatusCode = 404;
            res.Close();
            return;
        }
        byte[] data = File.ReadAllBytes(local);
        string sha = Convert.ToHexStringLower(SHA256.HashData(data));
        if (file == CorruptEtagFile) sha = new string('0', 64);
        if (file == RedirectFile && path.StartsWith(prefix))
        {
            res.StatusCode = 302;
            res.Headers["Location"] = cdn + file;
            res.Headers["X-Linked-Etag"] = $"\"{sha}\"";
            res.Headers["X-Linked-Size"] = data.Length.ToString();
            res.Close();
            return;
        }
        res.Headers["ETag"] = $"\"{sha}\"";
        long from = 0;
        string? range = ctx.Request.Headers["Range"];
        if (range is not null && range.StartsWith("bytes=") && range.EndsWith('-'))
        {
            from = long.Parse(range[6..^1]);
            if (from >= data.Length) { res.StatusCode = 416; res.Close(); return; }
            res.StatusCode = 206;
            res.Headers["Content-Range"] = $"bytes {from}-{data.Length - 1}/{data.Length}";
        }
        res.ContentLength64 = data.Length - from;
        if (file == DropFile && Interlocked.Decrement(ref _dropsLeft) >= 0)
        {
            res.OutputStream.Write(data, (int)from, (int)Math.Min(DropAfterBytes, data.Length - from));
            res.OutputStream.Flush();
            res.Abort(); // connection reset mid-body
            return;
        }
        res.OutputStream.Write(data, (int)from, (int)(data.Length - from));
        res.Close();
    }

    public void Dispose()
    {
        if (!_listener.IsListening) return;
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
