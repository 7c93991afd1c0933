using System.Net;
using System.Text;
using System.Text.Json;

namespace BioNer.Tests.Server;

public class NerServerTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string json) => server.PostJsonAsync("/v1/ner", json);

    [Fact]
    public async Task Ner_SingleText_EntitiesWithOriginalOffsets()
    {
        string text = "🧬 BRCA1\r\nand\taspirin";
        var (status, body) = await PostAsync(JsonSerializer.Serialize(new { text }));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("first", body.GetProperty("aggregation").GetString());
        var got = body.GetProperty("entities").EnumerateArray()
            .Select(e => $"{e.GetProperty("type").GetString()}:{e.GetProperty("start").GetInt32()}-{e.GetProperty("end").GetInt32()}:{e.GetProperty("text").GetString()}");
        Assert.Equal(["Emoji:0-2:🧬", "Gene:3-8:BRCA1", "Chemical:14-21:aspirin"], got);
    }

    [Fact]
    public async Task Ner_TextsWithAggregation_OneResultPerText()
    {
        var (status, body) = await PostAsync("""{"texts": ["aspirin", "", "acetylsalicylic acid"], "aggregation": "none"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var results = body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("entities").GetArrayLength()).ToList();
        Assert.Equal([3, 0, 7], results); // none: one per sub-token (asp|iri|n; ace|tyl|sal|icy|lic|aci|d)
    }

    [Fact]
    public async Task Ner_DecodeConstrained_SaysSoAndReturnsEntities()
    {
        var (status, body) = await PostAsync("""{"text": "aspirin and acetylsalicylic acid", "decode": "constrained"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("constrained", body.GetProperty("decode").GetString());
        var got = body.GetProperty("entities").EnumerateArray().Select(e => $"{e.GetProperty("type").GetString()}:{e.GetProperty("text").GetString()}");
        Assert.Equal(["Chemical:aspirin", "Chemical:acetylsalicylic acid"], got);
        (status, body) = await PostAsync("""{"text": "aspirin"}""");
        Assert.Equal("argmax", body.GetProperty("decode").GetString());
    }

    [Theory]
    [InlineData("{\"text\": \"a\", \"decode\": \"beam\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"text\": \"a\", \"decode\": 1}", HttpStatusCode.BadRequest)]
    [InlineData("{\"text\": \"a\", \"decode\": \"constrained\", \"aggregation\": \"simple\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"text\": ", HttpStatusCode.BadRequest)]
    [InlineData("not json", HttpStatusCode.BadRequest)]
    [InlineData("[1, 2]", HttpStatusCode.BadRequest)]
    [InlineData("{\"text\": 42}", HttpStatusCode.BadRequest)]
    [InlineData("{\"texts\": [\"a\", 1]}", HttpStatusCode.BadRequest)]
    [InlineData("{\"text\": \"a\", \"aggregation\": \"mean\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"texts\": [\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\"]}", HttpStatusCode.RequestEntityTooLarge)]
    public async Task Ner_BadRequests_JsonErrorWithStatus(string json, HttpStatusCode expected)
    {
        var (status, body) = await PostAsync(json);
        Assert.Equal(expected, status);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Ner_TextOverLimit_413()
    {
        var (status, body) = await PostAsync(JsonSerializer.Serialize(new { text = new string('a', 1001) }));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("1000", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Ner_BodyOverLimit_413()
    {
        var (status, _) = await PostAsync(JsonSerializer.Serialize(new { text = new string('a', 5000) }));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        // Chunked (no Content-Length): Kestrel's limit trips while reading.
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { text = new string('b', 5000) }))));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/ner") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        try
        {
            using var response = await server.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
        catch (HttpRequestException e) when (e.InnerException is IOException)
        {
            // Kestrel may abort a connection whose chunked body passes the limit before the client has read the 413
            // (HttpIOException) or while the client is still writing the body (IOException over "connection reset");
            // the request was refused either way (never processed), which is what this checks.
        }
        // The server is still healthy afterwards.
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Health_Ok()
    {
        var body = JsonDocument.Parse(await server.Client.GetStringAsync("/health")).RootElement;
        Assert.Equal("ok", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Model_LabelsBaseModelAndMetrics()
    {
        var body = JsonDocument.Parse(await server.Client.GetStringAsync("/v1/model")).RootElement;
        Assert.Equal(7, body.GetProperty("labels").GetArrayLength());
        Assert.Equal(["Chemical", "Emoji", "Gene"], body.GetProperty("entityTypes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("roberta-base", body.GetProperty("baseModel").GetString());
        Assert.Equal(0.8765, body.GetProperty("metrics").GetProperty("eval_f1").GetDouble());
        Assert.Equal("softmax", body.GetProperty("head").GetString());
        Assert.Equal("argmax", body.GetProperty("decode").GetString());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/assets/app.js")]
    [InlineData("/assets/style.css")]
    public async Task Assets_Embedded_Served(string path)
    {
        using var response = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 200);
    }

    [Theory]
    [InlineData("/assets/..%2F..%2Fconfig.json")]
    [InlineData("/assets/index.html.bak")]
    [InlineData("/config.json")]
    [InlineData("/metrics.json")]
    [InlineData("/../../etc/passwd")]
    public async Task Files_OutsideEmbeddedAssets_NotServed(string path)
    {
        using var response = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Ner_ManyConcurrentRequests_AllAnsweredAndBatched()
    {
        var tasks = Enumerable.Range(0, 64).Select(async i =>
        {
            string text = $"case {i}: aspirin and BRCA1";
            var (status, body) = await PostAsync(JsonSerializer.Serialize(new { text }));
            Assert.Equal(HttpStatusCode.OK, status);
            return body.GetProperty("entities").GetArrayLength();
        }).ToList();
        var counts = await Task.WhenAll(tasks);
        Assert.All(counts, c => Assert.Equal(2, c));
    }
}
