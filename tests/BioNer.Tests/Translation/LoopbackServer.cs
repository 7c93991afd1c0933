using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BioNer.Tests.Translation;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 (port chosen by the OS) for backend tests: one connection at a time, requests
/// with a Content-Length body, each answered by the handler and closed. Counts and records requests.
/// </summary>
public sealed class LoopbackServer : IDisposable
{
    public sealed record Request(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

    public sealed record Response(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, string ContentType = "application/json");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<Request, Response> _handler;
    private readonly Task _loop;

    public LoopbackServer(Func<Request, Response> handler)
    {
        _handler = handler;
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public ConcurrentQueue<Request> Requests { get; } = new();

    public int Count => Requests.Count;

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            using (client)
            {
                try { await Serve(client.GetStream()); }
                catch (Exception e) when (e is IOException or SocketException) { }
            }
        }
    }

    private async Task Serve(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0) return;
            head.Add(one[0]);
            if (head.Count > 65536) return;
        }
        var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n");
        var parts = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1).Where(l => l.Contains(':')))
            headers[line[..line.IndexOf(':')].Trim()] = line[(line.IndexOf(':') + 1)..].Trim();
        int length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl) : 0;
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, _stop.Token);
        var request = new Request(parts[0], parts[1], headers, Encoding.UTF8.GetString(body));
        Requests.Enqueue(request);
        var response = _handler(request);
        byte[] payload = Encoding.UTF8.GetBytes(response.Body);
        var sb = new StringBuilder($"HTTP/1.1 {response.Status} {Reason(response.Status)}\r\n");
        sb.Append($"Content-Type: {response.ContentType}; charset=utf-8\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n");
        foreach (var (k, v) in response.Headers ?? new Dictionary<string, string>()) sb.Append($"{k}: {v}\r\n");
        sb.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(sb.ToString()), _stop.Token);
        await stream.WriteAsync(payload, _stop.Token);
        await stream.FlushAsync(_stop.Token);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK", 400 => "Bad Request", 403 => "Forbidden", 429 => "Too Many Requests", 456 => "Quota Exceeded",
        500 => "Internal Server Error", 503 => "Service Unavailable", _ => "Status",
    };

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
