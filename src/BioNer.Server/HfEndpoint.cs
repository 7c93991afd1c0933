using System.Text.Json;
using BioNer.Inference;
using Microsoft.AspNetCore.Http;

namespace BioNer.Server;

/// <summary>
/// The HuggingFace Inference Endpoints contract for token classification, on <c>POST /</c>. Why: code written against a
/// hosted HF endpoint — <c>new InferenceClient().endpoint(URL).tokenClassification(...)</c> in
/// <c>@huggingface/inference</c>, <c>InferenceClient(URL).token_classification(...)</c> in <c>huggingface_hub</c>, or a
/// plain <c>requests.post(URL, json=...)</c> — then works against a self-hosted <c>bioner serve</c> by changing the URL.
/// Request: <c>{"inputs": TEXT or [TEXT, ...], "parameters": {"aggregation_strategy": "none|simple|first|average|max",
/// "ignore_labels": [...]}}</c>; other parameters are accepted and ignored. Response as transformers'
/// <c>TokenClassificationPipeline</c> returns it: a list of entities for one text, a list of such lists for a list of
/// texts; with aggregation <c>{"entity_group", "score", "word", "start", "end"}</c>, with <c>none</c>
/// <c>{"entity", "score", "index", "word", "start", "end"}</c>. The default aggregation is <c>simple</c>, as on HF's hosted
/// API. One difference: <c>word</c> is the covered text <c>inputs[start:end]</c>, where HF decodes the tokens (which for
/// an uncased or byte-level BPE tokenizer can differ in case or a leading space). Errors are <c>{"error": "..."}</c>
/// with 400 or 413, as HF's.
/// </summary>
public static class HfEndpoint
{
    /// <summary>The aggregation HF's hosted token-classification API applies when a request names none.</summary>
    public const AggregationStrategy DefaultAggregation = AggregationStrategy.Simple;

    internal static async Task<IResult> HandleAsync(HttpContext ctx, BatchingQueue queue, ServerOptions options)
    {
        var (json, readError) = await NerServer.ReadJsonAsync(ctx, options);
        if (readError is not null) return readError;
        using (json)
        {
            var (request, error) = Parse(json!.RootElement, options);
            if (error is not null) return error;
            var scored = await queue.ScoreAsync(request!.Texts, ctx.RequestAborted);
            var lists = scored.Select(d => Entries(d, request.Aggregation, request.IgnoreLabels)).ToList();
            return request.Single ? Results.Json(lists[0]) : Results.Json(lists);
        }
    }

    private sealed record HfRequest(IReadOnlyList<string> Texts, bool Single, AggregationStrategy Aggregation, IReadOnlyCollection<string> IgnoreLabels);

    private static (HfRequest?, IResult?) Parse(JsonElement root, ServerOptions options)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("inputs", out var inputs))
            return (null, NerServer.Error(400, "body must be a JSON object with \"inputs\" (a string or an array of strings)"));
        var aggregation = DefaultAggregation;
        IReadOnlyCollection<string> ignore = ["O"];
        if (root.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object)
        {
            if (parameters.TryGetProperty("aggregation_strategy", out var a))
            {
                if (a.ValueKind != JsonValueKind.String) return (null, NerServer.Error(400, "parameters.aggregation_strategy must be a string"));
                try { aggregation = AggregationStrategies.Parse(a.GetString()!, "parameters.aggregation_strategy"); }
                catch (BioNerException e) { return (null, NerServer.Error(400, e.Message)); }
            }
            if (parameters.TryGetProperty("ignore_labels", out var ig))
            {
                if (ig.ValueKind != JsonValueKind.Array || ig.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
                    return (null, NerServer.Error(400, "parameters.ignore_labels must be an array of strings"));
                ignore = ig.EnumerateArray().Select(x => x.GetString()!).ToHashSet();
            }
        }
        var (texts, single, error) = NerServer.ReadTexts(inputs, "inputs", options);
        return error is not null ? (null, error) : (new HfRequest(texts!, single, aggregation, ignore), null);
    }

    private static List<Dictionary<string, object>> Entries(ScoredDocument doc, AggregationStrategy aggregation, IReadOnlyCollection<string> ignore)
    {
        var entities = Aggregation.Apply(doc.Text, doc.Tokens, doc.Labels, aggregation, ignore);
        if (aggregation != AggregationStrategy.None)
            return entities.Select(e => new Dictionary<string, object>
            {
                ["entity_group"] = e.Type, ["score"] = (float)e.Score, ["word"] = e.Text, ["start"] = e.Start, ["end"] = e.End,
            }).ToList();
        // HF's "index" is the token's position in input_ids, after the leading special token.
        var indexByStart = new Dictionary<int, int>();
        for (int i = 0; i < doc.Tokens.Count; i++) indexByStart.TryAdd(doc.Tokens[i].Start, i + 1);
        return entities.Select(e => new Dictionary<string, object>
        {
            ["entity"] = e.Type, ["score"] = (float)e.Score, ["index"] = indexByStart[e.Start], ["word"] = e.Text,
            ["start"] = e.Start, ["end"] = e.End,
        }).ToList();
    }
}
