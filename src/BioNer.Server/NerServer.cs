using System.Net;
using System.Reflection;
using System.Text.Json;
using BioNer.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BioNer.Server;

/// <summary>Settings of the HTTP server; defaults are safe for a workstation (loopback only, bounded requests).</summary>
public sealed record ServerOptions
{
    /// <summary>Address to bind: an IP, <c>localhost</c>, or <c>0.0.0.0</c>/<c>*</c> for all interfaces (explicit opt-in).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (tests).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Largest request body accepted; larger bodies get 413.</summary>
    public long MaxBodyBytes { get; init; } = 1_000_000;

    /// <summary>Longest single text accepted (UTF-16 characters); longer ones get 413.</summary>
    public int MaxTextChars { get; init; } = 200_000;

    /// <summary>Most texts in one request; more get 413.</summary>
    public int MaxTextsPerRequest { get; init; } = 256;

    /// <summary>Most texts the batching queue scores in one pass.</summary>
    public int BatchTexts { get; init; } = 32;

    /// <summary>How long a request may wait for others to share its forward pass.</summary>
    public TimeSpan BatchDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Default aggregation when a request names none.</summary>
    public AggregationStrategy Aggregation { get; init; } = AggregationStrategy.First;

    /// <summary>Default word-label decoding when a request names none: false = argmax, true = IOB2-constrained Viterbi
    /// (<c>serve --decode constrained</c>; see <see cref="ConstrainedDecoding"/>), null = the model's own way (Viterbi
    /// for a CRF head with a word-level aggregation, argmax otherwise).</summary>
    public bool? Constrained { get; init; }
}

/// <summary>
/// The BioNer HTTP API and web page, on ASP.NET Core minimal APIs. Routes: <c>POST /v1/ner</c>
/// (<c>{"text": ...}</c> or <c>{"texts": [...]}</c>, optional <c>"aggregation"</c> and <c>"decode"</c>: argmax | constrained), <c>POST /</c> (HuggingFace
/// Inference Endpoints' token-classification contract, <see cref="HfEndpoint"/>), <c>GET /health</c>,
/// <c>GET /v1/model</c>, <c>GET /</c> (the page) and <c>GET /assets/{name}</c> (its script and style). Static content
/// comes only from resources embedded in this assembly, so no request can reach the file system. Errors are JSON
/// <c>{"error": "..."}</c> with 400 (malformed JSON or fields) or 413 (body, text or count over a limit).
/// </summary>
public static class NerServer
{
    private static readonly Assembly Self = typeof(NerServer).Assembly;
    private static readonly IReadOnlyDictionary<string, string> Assets = new Dictionary<string, string>
    {
        ["app.js"] = "text/javascript; charset=utf-8",
        ["style.css"] = "text/css; charset=utf-8",
    };

    /// <summary>Builds (does not start) the web application serving <paramref name="pipeline"/>.</summary>
    public static WebApplication Build(NerPipeline pipeline, ModelInfo info, ServerOptions options)
    {
        var address = ParseHost(options.Host);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address, options.Port);
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.AddServerHeader = false;
        });
        builder.Services.AddSingleton(new BatchingQueue(pipeline, options.BatchTexts, options.BatchDelay));
        var app = builder.Build();
        var queue = app.Services.GetRequiredService<BatchingQueue>();

        app.MapGet("/health", () => Results.Json(new { status = "ok", model = info.Name }));
        app.MapGet("/v1/model", () => Results.Json(new
        {
            name = info.Name, labels = info.Labels, entityTypes = info.EntityTypes, baseModel = info.BaseModel,
            modelType = info.ModelType, metrics = info.Metrics, windowSubTokens = pipeline.WindowSubTokens,
            head = pipeline.Crf is null ? "softmax" : "crf", decode = options.Constrained ?? pipeline.Crf is not null ? "constrained" : "argmax",
            aggregations = AggregationStrategies.Names, limits = new { options.MaxBodyBytes, options.MaxTextChars, options.MaxTextsPerRequest },
        }));
        app.MapPost("/v1/ner", (Func<HttpContext, Task<IResult>>)(ctx => NerAsync(ctx, queue, options)));
        app.MapPost("/", (Func<HttpContext, Task<IResult>>)(ctx => HfEndpoint.HandleAsync(ctx, queue, options)));
        app.MapGet("/", () => Asset("index.html", "text/html; charset=utf-8"));
        app.MapGet("/assets/{name}", (string name) => Assets.TryGetValue(name, out var type) ? Asset(name, type) : NotFound());
        app.MapFallback(() => NotFound());
        return app;
    }

    /// <summary>The base URL the started <paramref name="app"/> listens on (the real port when 0 was asked).</summary>
    public static Uri BoundAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First().Replace("[::]", "localhost", StringComparison.Ordinal));
    }

    private static IPAddress ParseHost(string host) => host.Trim() switch
    {
        "localhost" => IPAddress.Loopback,
        "*" or "0.0.0.0" => IPAddress.Any,
        var h when IPAddress.TryParse(h, out var ip) => ip,
        var h => throw new BioNerException($"--host: '{h}' is not an IP address, localhost or 0.0.0.0"),
    };

    internal static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    private static IResult NotFound() => Error(404, "not found");

    private static IResult Asset(string name, string contentType)
    {
        using var stream = Self.GetManifestResourceStream("wwwroot/" + name) ?? throw new InvalidOperationException($"missing embedded asset {name}");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return Results.Bytes(memory.ToArray(), contentType);
    }

    /// <summary>Reads the body as JSON within the size limit; a 400/413 result instead when it is not.</summary>
    internal static async Task<(JsonDocument?, IResult?)> ReadJsonAsync(HttpContext ctx, ServerOptions options)
    {
        if (ctx.Request.ContentLength > options.MaxBodyBytes)
            return (null, Error(413, $"request body over {options.MaxBodyBytes} bytes"));
        try
        {
            return (await JsonDocument.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted), null);
        }
        catch (JsonException e)
        {
            return (null, Error(400, $"malformed JSON: {e.Message}"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Error(413, $"request body over {options.MaxBodyBytes} bytes"));
        }
    }

    /// <summary>
    /// <paramref name="value"/> as one text (a string) or several (an array of strings), within the count and length
    /// limits; errors name <paramref name="field"/>.
    /// </summary>
    internal static (IReadOnlyList<string>? Texts, bool Single, IResult? Error) ReadTexts(JsonElement value, string field, ServerOptions options)
    {
        List<string> texts = [];
        bool single = value.ValueKind == JsonValueKind.String;
        if (single) texts.Add(value.GetString()!);
        else if (value.ValueKind == JsonValueKind.Array)
        {
            if (value.GetArrayLength() > options.MaxTextsPerRequest)
                return (null, false, Error(413, $"{field}: {value.GetArrayLength()} texts, at most {options.MaxTextsPerRequest} per request"));
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String) return (null, false, Error(400, $"{field} must be an array of strings"));
                texts.Add(item.GetString()!);
            }
        }
        else return (null, false, Error(400, $"{field} must be a string or an array of strings"));
        int tooLong = texts.FindIndex(x => x.Length > options.MaxTextChars);
        if (tooLong >= 0)
            return (null, false, Error(413, $"{(single ? field : $"{field}[{tooLong}]")}: {texts[tooLong].Length} characters, at most {options.MaxTextChars}"));
        return (texts, single, null);
    }

    private static async Task<IResult> NerAsync(HttpContext ctx, BatchingQueue queue, ServerOptions options)
    {
        var (json, readError) = await ReadJsonAsync(ctx, options);
        if (readError is not null) return readError;
        using (json)
        {
            var (request, error) = NerRequest.Parse(json!.RootElement, options);
            if (error is not null) return error;
            var scored = await queue.ScoreAsync(request!.Texts, ctx.RequestAborted);
            var entities = scored.Select(d => d.Entities(request.Aggregation, request.Constrained)).ToList();
            string aggregation = request.Aggregation.ToString().ToLowerInvariant();
            string decode = ConstrainedDecoding.Effective(request.Constrained, scored.FirstOrDefault()?.Crf, request.Aggregation) ? "constrained" : "argmax";
            return request.Single
                ? Results.Json(new { aggregation, decode, entities = entities[0] })
                : Results.Json(new { aggregation, decode, results = entities.Select(e => new { entities = e }) });
        }
    }

    private sealed record NerRequest(IReadOnlyList<string> Texts, bool Single, AggregationStrategy Aggregation, bool? Constrained)
    {
        public static (NerRequest?, IResult?) Parse(JsonElement root, ServerOptions options)
        {
            if (root.ValueKind != JsonValueKind.Object) return (null, Error(400, "body must be a JSON object with \"text\" or \"texts\""));
            var aggregation = options.Aggregation;
            if (root.TryGetProperty("aggregation", out var a))
            {
                if (a.ValueKind != JsonValueKind.String) return (null, Error(400, "aggregation must be a string"));
                try { aggregation = AggregationStrategies.Parse(a.GetString()!); }
                catch (BioNerException e) { return (null, Error(400, e.Message)); }
            }
            bool? constrained = options.Constrained;
            if (root.TryGetProperty("decode", out var d))
            {
                if (d.ValueKind != JsonValueKind.String) return (null, Error(400, "decode must be a string"));
                try { constrained = ConstrainedDecoding.ParseMode(d.GetString()!, "decode"); }
                catch (BioNerException e) { return (null, Error(400, e.Message)); }
            }
            try { if (constrained == true) ConstrainedDecoding.RequireWordLevel(aggregation, "decode \"constrained\""); }
            catch (BioNerException e) { return (null, Error(400, e.Message)); }
            bool hasText = root.TryGetProperty("text", out var t);
            if (hasText && t.ValueKind != JsonValueKind.String) return (null, Error(400, "text must be a string"));
            if (!hasText && !(root.TryGetProperty("texts", out t) && t.ValueKind == JsonValueKind.Array))
                return (null, Error(400, "body needs \"text\" (a string) or \"texts\" (an array of strings)"));
            var (texts, single, error) = ReadTexts(t, hasText ? "text" : "texts", options);
            if (error is not null) return (null, error);
            return (new NerRequest(texts!, single, aggregation, constrained), null);
        }
    }
}
