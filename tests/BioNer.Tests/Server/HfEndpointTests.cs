using System.Net;
using System.Text.Json;

namespace BioNer.Tests.Server;

/// <summary>
/// <c>POST /</c> speaks HuggingFace Inference Endpoints' token-classification contract; the shapes are those of
/// transformers' <c>TokenClassificationPipeline</c> (aggregated: entity_group/score/word/start/end; none: entity/score/
/// index/word/start/end; a list of lists for a list of inputs).
/// </summary>
public class HfEndpointTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string json) => server.PostJsonAsync("/", json);

    private static string Describe(JsonElement e, string typeKey) =>
        $"{e.GetProperty(typeKey).GetString()}:{e.GetProperty("start").GetInt32()}-{e.GetProperty("end").GetInt32()}:{e.GetProperty("word").GetString()}";

    [Fact]
    public async Task Inputs_StringWithoutParameters_SimpleAggregationAsHfHostedApi()
    {
        var (status, body) = await PostAsync("""{"inputs": "BRCA1 and acetylsalicylic acid"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JsonValueKind.Array, body.ValueKind);
        Assert.Equal(["Gene:0-5:BRCA1", "Chemical:10-30:acetylsalicylic acid"], body.EnumerateArray().Select(e => Describe(e, "entity_group")));
        var first = body[0];
        Assert.Equal(["entity_group", "score", "word", "start", "end"], first.EnumerateObject().Select(p => p.Name));
        Assert.InRange(first.GetProperty("score").GetDouble(), 0.5, 1.0);
    }

    [Fact]
    public async Task Inputs_ListOfTexts_ListOfListsInOrder()
    {
        var (status, body) = await PostAsync("""{"inputs": ["aspirin", "", "BRCA1"], "parameters": {"aggregation_strategy": "first"}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([["Chemical:0-7:aspirin"], [], ["Gene:0-5:BRCA1"]],
            body.EnumerateArray().Select(list => list.EnumerateArray().Select(e => Describe(e, "entity_group")).ToArray()));
    }

    [Fact]
    public async Task AggregationNone_PerTokenEntityWithIndex()
    {
        var (status, body) = await PostAsync("""{"inputs": "take aspirin", "parameters": {"aggregation_strategy": "none"}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var entries = body.EnumerateArray().ToList();
        Assert.Equal(["entity", "score", "index", "word", "start", "end"], entries[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["B-Chemical", "I-Chemical", "I-Chemical"], entries.Select(e => e.GetProperty("entity").GetString()));
        Assert.Equal("aspirin", string.Concat(entries.Select(e => e.GetProperty("word").GetString())));
        var index = entries.Select(e => e.GetProperty("index").GetInt32()).ToList();
        Assert.True(index[0] > 1, "index counts the leading special token and the sub-tokens of 'take'");
        Assert.Equal(Enumerable.Range(index[0], entries.Count), index);
    }

    [Fact]
    public async Task IgnoreLabels_DropsThoseTypes()
    {
        var (_, body) = await PostAsync("""{"inputs": "BRCA1 and aspirin", "parameters": {"ignore_labels": ["O", "Gene"]}}""");
        Assert.Equal(["Chemical:10-17:aspirin"], body.EnumerateArray().Select(e => Describe(e, "entity_group")));
    }

    [Theory]
    [InlineData("""{"text": "aspirin"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"inputs": 3}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"inputs": "x", "parameters": {"aggregation_strategy": "mean"}}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"inputs": ["a","b","c","d","e","f","g","h","i"]}""", HttpStatusCode.RequestEntityTooLarge)]
    public async Task BadRequest_HfStyleErrorObject(string json, HttpStatusCode expected)
    {
        var (status, body) = await PostAsync(json);
        Assert.Equal(expected, status);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetString()));
    }

    /// <summary>The real npm client, installed by <c>npm ci</c> in tests/interop/hf-inference (.ci/run does it).</summary>
    [Theory]
    [Trait("Category", Category.Interop)]
    [InlineData(null)]
    [InlineData("simple")]
    [InlineData("max")]
    public async Task HuggingFaceInferenceClient_EndpointUrl_GetsEntities(string? aggregation)
    {
        string node = Requires.Program("node", "apt-get install -y nodejs npm");
        string dir = Path.Combine(TestPaths.RepoRoot, "tests", "interop", "hf-inference");
        Requires.That(Directory.Exists(Path.Combine(dir, "node_modules", "@huggingface", "inference")),
            $"@huggingface/inference is not installed (cd {dir} && npm ci)");
        List<string> args = ["client.mjs", server.Client.BaseAddress!.ToString().TrimEnd('/'), "BRCA1 carriers took acetylsalicylic acid."];
        if (aggregation is not null) args.Add(aggregation);
        string stdout = await ProcessRunner.RunOkAsync(node, args, dir);
        var got = JsonDocument.Parse(stdout).RootElement.EnumerateArray().Select(e => Describe(e, "entity_group"));
        Assert.Equal(["Gene:0-5:BRCA1", "Chemical:20-40:acetylsalicylic acid"], got);
    }
}
