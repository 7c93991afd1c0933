using System.Net;
using System.Text;
using System.Text.Json;
using BioNer.Inference;
using BioNer.Modeling;
using BioNer.Server;
using BioNer.Tests.Inference;

namespace BioNer.Tests.Server;

/// <summary>A server over a CRF model decodes by the CRF unless a request asks for argmax, and says which it did.</summary>
public class CrfServerTests
{
    // Scores that make every word O (start at O and O → O worth 1000): a decoder using them finds no entity.
    private static CrfTransitions AllOutside(IReadOnlyList<string> labels)
    {
        int l = labels.Count, o = labels.ToList().IndexOf("O");
        var start = new double[l];
        start[o] = 1000;
        var moves = Enumerable.Range(0, l).Select(_ => new double[l]).ToArray();
        moves[o][o] = 1000;
        return new CrfTransitions(start, moves, new double[l]);
    }

    private static async Task<JsonElement> Post(HttpClient client, string json)
    {
        using var response = await client.PostAsync("/v1/ner", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Serve_CrfModel_DefaultsToTheCrf_ArgmaxOnRequest_TokenLevelWithoutError()
    {
        var scorer = new DictionaryScorer(ServerFixture.Lexicon) { Crf = AllOutside(DictionaryScorer.LabelSet) };
        using var pipeline = new NerPipeline(scorer, new NerOptions { MaxSubTokens = 64 });
        using var dir = new TempDir();
        System.IO.File.WriteAllText(dir.File("config.json"), """{"model_type": "roberta"}""");
        var info = ModelInfo.Read(dir.Path, pipeline.Labels, pipeline.EntityTypes, "dictionary-crf");
        await using var app = NerServer.Build(pipeline, info, new ServerOptions { Port = 0 });
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = NerServer.BoundAddress(app) };

        var model = JsonDocument.Parse(await client.GetStringAsync("/v1/model")).RootElement;
        Assert.Equal("crf", model.GetProperty("head").GetString());
        Assert.Equal("constrained", model.GetProperty("decode").GetString());
        var body = await Post(client, """{"text": "aspirin binds BRCA1"}""");
        Assert.Equal("constrained", body.GetProperty("decode").GetString());
        Assert.Equal(0, body.GetProperty("entities").GetArrayLength());
        body = await Post(client, """{"text": "aspirin binds BRCA1", "decode": "argmax"}""");
        Assert.Equal("argmax", body.GetProperty("decode").GetString());
        Assert.Equal(2, body.GetProperty("entities").GetArrayLength());
        body = await Post(client, """{"text": "aspirin binds BRCA1", "aggregation": "none"}""");   // token level: argmax, no error
        Assert.Equal("argmax", body.GetProperty("decode").GetString());
        await app.StopAsync();
    }
}
