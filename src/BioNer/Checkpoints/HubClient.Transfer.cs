using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace BioNer.Checkpoints;

// One file's transfer: resume from "<file>.incomplete" with a Range request, follow redirects by hand, verify size and
// sha256, then rename into place (so a file without the suffix is always complete).
public sealed partial class HubClient
{
    private const int MaxRedirects = 5;
    private const long ProgressStep = 1 << 20;

    // Downloads one file; false when the hub answers 404. Dropped connections are retried, each try resuming.
    private async Task<bool> FetchAsync(string modelId, string revision, string file, string dir,
                                        Action<HubProgress>? progress, CancellationToken ct)
    {
        var url = new Uri($"{_endpoint}/{modelId}/resolve/{Uri.EscapeDataString(revision)}/{file}");
        string target = Path.Combine(dir, file), part = target + ".incomplete";
        return await _retry.ExecuteAsync(async token =>
        {
            if (!await TransferAsync(url, file, part, progress, token)) return false;
            File.Move(part, target, overwrite: true);
            return true;
        }, ct);
    }

    private async Task<bool> TransferAsync(Uri url, string file, string part, Action<HubProgress>? progress, CancellationToken ct)
    {
        long have = File.Exists(part) ? new FileInfo(part).Length : 0;
        var (response, etag, linkedSize) = await SendAsync(url, have, ct);
        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.NotFound:
                    return false;
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    throw new BioNerException($"{url}: access refused (HTTP {(int)response.StatusCode}); " +
                                              "set HF_TOKEN to a token that may read this model.");
                case HttpStatusCode.RequestedRangeNotSatisfiable when have > 0:
                    File.Delete(part); // the partial file is not a prefix the server recognises: start over
                    return await TransferAsync(url, file, part, progress, ct);
            }
            if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{url}: HTTP {(int)response.StatusCode}");
            bool resumed = response.StatusCode == HttpStatusCode.PartialContent;
            if (resumed && response.Content.Headers.ContentRange?.From != have)
                throw new IOException($"{url}: server resumed at {response.Content.Headers.ContentRange?.From}, not {have}");
            if (!resumed) have = 0;
            long? total = (resumed ? response.Content.Headers.ContentRange?.Length : response.Content.Headers.ContentLength)
                          ?? linkedSize;
            await CopyBodyAsync(response, file, part, resumed, have, total, progress, ct);
        }
        Verify(url, file, part, linkedSize, etag);
        return true;
    }

    private async Task CopyBodyAsync(HttpResponseMessage response, string file, string part, bool append, long have,
                                     long? total, Action<HubProgress>? progress, CancellationToken ct)
    {
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await using (var fs = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write))
        {
            var buffer = new byte[81920];
            long reported = have;
            while (true)
            {
                using var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                readTimeout.CancelAfter(_http.Timeout);
                int n = await body.ReadAsync(buffer, readTimeout.Token);
                if (n == 0) break;
                await fs.WriteAsync(buffer.AsMemory(0, n), ct);
                have += n;
                if (have - reported >= ProgressStep) { progress?.Invoke(new HubProgress(file, have, total, false)); reported = have; }
            }
        }
        if (total is long t && have != t)
        {
            if (have > t) File.Delete(part);
            throw new IOException($"{file}: connection ended after {have:N0} of {t:N0} bytes");
        }
        progress?.Invoke(new HubProgress(file, have, total, true));
    }

    // Content-Length was checked while copying; here the sha256 the hub publishes as (X-Linked-)ETag for LFS files.
    private static void Verify(Uri url, string file, string part, long? linkedSize, string? etag)
    {
        long size = new FileInfo(part).Length;
        if (linkedSize is long expectedSize && size != expectedSize)
        {
            File.Delete(part);
            throw new BioNerException($"{url}: {file} has {size:N0} bytes, the hub announced {expectedSize:N0}.");
        }
        string? sha = etag is null ? null : etag.Replace("W/", "").Trim('"').ToLowerInvariant();
        if (sha is null || !Sha256Pattern().IsMatch(sha)) return;
        string actual;
        using (var s = File.OpenRead(part)) actual = Convert.ToHexStringLower(SHA256.HashData(s));
        if (actual != sha)
        {
            File.Delete(part);
            throw new BioNerException($"{url}: {file} is corrupt (sha256 {actual}, expected {sha}); run again to re-download.");
        }
    }

    // GET with Range from `from`; redirects followed by hand so the first X-Linked-Etag/-Size is kept and the token is
    // only sent to the hub's own host.
    private async Task<(HttpResponseMessage Response, string? Etag, long? LinkedSize)> SendAsync(Uri url, long from, CancellationToken ct)
    {
        string? etag = null;
        long? linkedSize = null;
        var uri = url;
        for (int hop = 0; hop <= MaxRedirects; hop++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (from > 0) request.Headers.Range = new RangeHeaderValue(from, null);
            if (_token is not null && uri.Host == url.Host) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            etag ??= Header(response, "X-Linked-Etag");
            if (linkedSize is null && long.TryParse(Header(response, "X-Linked-Size"), out long size)) linkedSize = size;
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                uri = location.IsAbsoluteUri ? location : new Uri(uri, location);
                response.Dispose();
                continue;
            }
            return (response, etag ?? response.Headers.ETag?.Tag, linkedSize);
        }
        throw new HttpRequestException($"{url}: more than {MaxRedirects} redirects");
    }

    private static string? Header(HttpResponseMessage r, string name) =>
        r.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();
}
